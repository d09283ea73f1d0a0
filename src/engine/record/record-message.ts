import type { Author } from '../../domain/episode.ts';
import type { StaffRecord, ThreadState, ThreadWrite } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { MAX_MESSAGE, MAX_PARTS } from '../commands/commands.ts';
import { noticeCard } from '../../messages/cards.ts';
import { splitText } from '../../messages/format.ts';
import { describeNotice } from '../../messages/texts.ts';
import type { NewEntry } from '../../domain/record.ts';
import { chainAfter } from './append-entry.ts';
import { unnamedAuthor } from './name-author.ts';
import { ok, refuse, type EngineDeps, type Result } from '../base/context.ts';

/**
 * Records a thread message, once per event: planned against one read of the thread's state and
 * written by the store in one go (the bot's busiest write; see Store.appendToThread).
 */
export async function recordMessage(
  deps: EngineDeps,
  cmd: CommandOf<'record_message'>,
  eventKey: string | null,
): Promise<Result> {
  const at = deps.clock.now();
  const written = await deps.store.appendToThread(
    {
      eventKey,
      at,
      platform: cmd.thread.platform,
      threadRef: cmd.thread.threadRef,
      platformMessageId: cmd.messageId,
      author: cmd.actor,
    },
    // The clock read at each try: a message written after a collision follows what came first.
    (thread, staff) => planMessage(thread, staff, cmd, deps.clock.now()),
  );
  if (written === 'duplicate') return ok({ duplicate: true });
  return written.ok ? { ...written, queuedNothing: true } : written;
}

/**
 * Captures a message posted in an episode's thread, or its edit or deletion, into the record.
 * The original stays as first written; an edit or deletion is a new entry pointing at it.
 * People not on the staff list are recorded too (by their platform name): the record must hold
 * everything said in the thread.
 */
function planMessage(
  thread: ThreadState | null,
  staff: StaffRecord | null,
  cmd: CommandOf<'record_message'>,
  now: Date,
): ThreadWrite<Result> {
  if (!thread) return refuse('unknown_episode');
  const episode = { id: thread.episodeId, homeId: thread.homeId };
  if (cmd.text.length > MAX_MESSAGE * MAX_PARTS)
    return refuse('text_too_long', { length: cmd.text.length, max: MAX_MESSAGE * MAX_PARTS });
  const files = cmd.files.map((f) => f.trim()).filter(Boolean);
  if (cmd.change === 'posted' && !cmd.text.trim() && files.length === 0) return refuse('text_empty');

  // Only active staff of this episode's home write as staff here: a manager of another home is
  // recorded by name as someone who is not staff of this home, never with a role in it.
  const ours = staff && staff.active && staff.homeId === episode.homeId ? staff : null;
  const author: Author = ours
    ? { staffId: ours.id, name: ours.displayName, role: ours.role }
    : {
        staffId: null,
        name: staff?.displayName ?? (cmd.actor.displayName?.trim() || unnamedAuthor(cmd.actor)),
        role: 'unknown',
      };
  const ids = { platform: cmd.thread.platform, platformMessageId: cmd.messageId };
  const original = thread.original;
  // The same message delivered again under another event id (Slack re-sends, a second instance):
  // it is in the record already, once.
  if (cmd.change === 'posted' && original)
    return { entries: [], result: ok({ episodeId: episode.id, duplicate: true }) };
  const fileNote = files.length > 0 ? ` [files: ${files.join(', ')}]` : '';

  // A message longer than one entry takes is kept whole, in parts, each saying which it is.
  const parts = splitText(cmd.text, MAX_MESSAGE);
  const partOf = (i: number) => (parts.length > 1 ? { part: i + 1, of: parts.length } : {});
  const partNote = (i: number) => (parts.length > 1 ? ` [part ${i + 1} of ${parts.length}]` : '');
  const planned: NewEntry[] = [];
  const append = (entry: NewEntry) => planned.push(entry);
  switch (cmd.change) {
    case 'posted':
      for (const [i, text] of parts.entries())
        append({
          kind: 'message',
          text: `${text}${partNote(i)}${i === parts.length - 1 ? fileNote : ''}`,
          data: { files: i === parts.length - 1 ? files : [], ...partOf(i) },
          ...ids,
        });
      break;
    case 'edited':
      for (const [i, text] of parts.entries())
        append({
          kind: 'message_edited',
          text: `Edited a message. Now reads: ${text}${partNote(i)}${i === parts.length - 1 ? fileNote : ''}`,
          data: { files: i === parts.length - 1 ? files : [], originalSeq: original?.seq ?? null, ...partOf(i) },
          amendsEntryId: original?.id ?? null,
          ...ids,
        });
      break;
    case 'deleted':
      append({
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
  const unnamed = author.staffId === null && author.name === unnamedAuthor(cmd.actor) ? { unnamed: true } : {};
  const entries = chainAfter(thread.head, episode.id, author, now, planned);
  if (parts.length === 1) return { entries, result: ok({ episodeId: episode.id, ...unnamed }) };
  return {
    entries,
    result: ok({
      episodeId: episode.id,
      ...unnamed,
      reply: noticeCard(describeNotice('message_in_parts', { parts: parts.length })),
    }),
  };
}
