import type { Author } from '../../domain/episode.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { MAX_MESSAGE } from '../commands/commands.ts';
import { appendEntry } from './append-entry.ts';
import { ok, refuse, type EngineDeps, type Result } from '../base/context.ts';

/**
 * Captures a message posted in an episode's thread, or its edit or deletion, into the record.
 * The original stays as first written; an edit or deletion is a new entry pointing at it.
 * People not on the staff list are recorded too (by their platform name): the record must hold
 * everything said in the thread.
 */
export async function recordMessage(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_message'>): Promise<Result> {
  const now = deps.clock.now();
  const episode = await tx.episodes.findByThread(cmd.thread.platform, cmd.thread.threadRef);
  if (!episode) return refuse('unknown_episode');
  if (cmd.text.length > MAX_MESSAGE) return refuse('text_too_long', { length: cmd.text.length, max: MAX_MESSAGE });
  const files = cmd.files.map((f) => f.trim()).filter(Boolean);
  if (cmd.change === 'posted' && !cmd.text.trim() && files.length === 0) return refuse('text_empty');

  const staff = await tx.staff.findByIdentity(cmd.actor.platform, cmd.actor.userId);
  const author: Author = staff
    ? { staffId: staff.id, name: staff.displayName, role: staff.role }
    : {
        staffId: null,
        name: cmd.actor.displayName?.trim() || `${cmd.actor.platform} user ${cmd.actor.userId}`,
        role: 'unknown',
      };
  const ids = { platform: cmd.thread.platform, platformMessageId: cmd.messageId };
  const original =
    cmd.change === 'posted'
      ? null
      : await tx.record.findByPlatformMessage(episode.id, cmd.thread.platform, cmd.messageId);
  const fileNote = files.length > 0 ? ` [files: ${files.join(', ')}]` : '';

  switch (cmd.change) {
    case 'posted':
      await appendEntry(tx, episode.id, author, now, {
        kind: 'message',
        text: cmd.text + fileNote,
        data: { files },
        ...ids,
      });
      break;
    case 'edited':
      await appendEntry(tx, episode.id, author, now, {
        kind: 'message_edited',
        text: `Edited a message. Now reads: ${cmd.text}${fileNote}`,
        data: { files, originalSeq: original?.seq ?? null },
        amendsEntryId: original?.id ?? null,
        ...ids,
      });
      break;
    case 'deleted':
      await appendEntry(tx, episode.id, author, now, {
        kind: 'message_deleted',
        text: original
          ? `Deleted a message from the thread (entry ${original.seq} keeps what it said).`
          : 'Deleted a message from the thread.',
        data: { originalSeq: original?.seq ?? null },
        amendsEntryId: original?.id ?? null,
        ...ids,
      });
      break;
  }
  return ok({ episodeId: episode.id });
}
