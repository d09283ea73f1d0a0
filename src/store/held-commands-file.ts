// The inbox: every command that adds to the record, kept in an append-only JSON-lines file next to
// the data (DATA_DIR) before the platform is answered, so it survives a crash or restart; the bot
// tells a person "your entry has not been lost" only once it is on disk. Each line is one step:
// `hold` is fsynced before the call returns; `release` (the command is in the record) is not, as
// a release lost in a crash only means the command is applied again, which its event id makes a
// no-op. The file is emptied once nothing is held. It holds what the record would (message text,
// form details), so it is as private as the database itself.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { HeldCommand, HeldCommands } from '../ports/held-commands.ts';

const stepSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('hold'),
    id: z.string().min(1),
    receivedAt: z.iso.datetime(),
    command: z.record(z.string(), z.unknown()),
  }),
  z.object({ op: z.literal('release'), id: z.string().min(1) }),
]);
type Step = z.infer<typeof stepSchema>;

/** The file's name inside DATA_DIR. */
export const heldCommandsFileName = 'held-commands.jsonl';

/**
 * Held commands in a file. Reads what is there at start; a line that does not parse (the last one,
 * torn by a crash mid-write, before anyone was told it was safe) is skipped and reported.
 */
export function fileHeldCommands(file: string, onUnreadable: (line: number) => void = () => {}): HeldCommands {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const held = new Map<string, HeldCommand>();
  if (fs.existsSync(file)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (const [index, text] of lines.entries()) {
      if (!text.trim()) continue;
      const step = stepSchema.safeParse(safeJson(text));
      if (!step.success) {
        onUnreadable(index + 1);
        continue;
      }
      if (step.data.op === 'hold')
        held.set(step.data.id, {
          id: step.data.id,
          receivedAt: new Date(step.data.receivedAt),
          command: step.data.command,
        });
      else held.delete(step.data.id);
    }
  }

  const write = (step: Step) => {
    const fd = fs.openSync(file, 'a');
    try {
      fs.writeSync(fd, `${JSON.stringify(step)}\n`);
      if (step.op === 'hold') fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  return {
    async hold(command) {
      write({ op: 'hold', id: command.id, receivedAt: command.receivedAt.toISOString(), command: command.command });
      held.set(command.id, command);
    },
    list: () => [...held.values()],
    async release(id) {
      if (!held.has(id)) return;
      write({ op: 'release', id });
      held.delete(id);
      // Nothing left: start the file afresh rather than let it grow.
      if (held.size === 0) fs.truncateSync(file, 0);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
