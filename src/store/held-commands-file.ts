// The inbox: every command that adds to the record, kept in an append-only JSON-lines file next to
// the data (DATA_DIR) before the platform is answered, so it survives a crash or restart; the bot
// tells a person "your entry has not been lost" only once it is on disk. Each line is one step:
// `hold` is fsynced before the call returns (steps arriving together share one write and one
// fsync); `release` (the command is in the record) is not, as
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

  // Group commit: steps that arrive while a write is under way go together in the next one, with
  // one fsync for the lot, and off the event loop (fs.promises), so a burst of reports waits for
  // the disk once rather than once each, and nothing else waits at all.
  const pending: { line: string; sync: boolean; done: (error?: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;
  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      try {
        const handle = await fs.promises.open(file, 'a');
        try {
          await handle.write(batch.map((b) => b.line).join(''));
          if (batch.some((b) => b.sync)) await handle.sync();
        } finally {
          await handle.close();
        }
        // Nothing left held once these are written: start the file afresh rather than let it grow.
        if (held.size === 0 && pending.length === 0) await fs.promises.truncate(file, 0);
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error);
      }
    }
    flushing = null;
  }
  const write = (step: Step) =>
    new Promise<void>((resolve, reject) => {
      pending.push({
        line: `${JSON.stringify(step)}\n`,
        // A hold is what "your entry is safe" stands on; a release lost in a crash only replays it.
        sync: step.op === 'hold',
        done: (error) =>
          error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error))),
      });
      flushing ??= flush();
    });

  return {
    async hold(command) {
      // Counted as held from now, so a release of another cannot empty the file under it.
      held.set(command.id, command);
      try {
        await write({
          op: 'hold',
          id: command.id,
          receivedAt: command.receivedAt.toISOString(),
          command: command.command,
        });
      } catch (error) {
        held.delete(command.id);
        throw error;
      }
    },
    list: () => [...held.values()],
    async release(id) {
      if (!held.has(id)) return;
      held.delete(id);
      await write({ op: 'release', id });
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
