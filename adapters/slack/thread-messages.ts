import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { fallbackText } from './blocks.ts';
import type { SlackNames } from './names.ts';
import { threadRef } from './refs.ts';
import { describeError } from '../../src/messages/texts.ts';
import type { Commands } from '../../src/engine/engine.ts';
import type { Logger } from '../../src/ports/logger.ts';

/** A message as the Events API sends it; its edits and deletions carry the message itself. */
const slackMessage = z.object({
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  files: z.array(z.object({ name: z.string().optional() })).optional(),
});
type SlackMessage = z.infer<typeof slackMessage>;
const messageEvent = slackMessage.extend({
  subtype: z.string().optional(),
  channel: z.string(),
  message: slackMessage.optional(),
  previous_message: slackMessage.optional(),
  deleted_ts: z.string().optional(),
});

/** What recording a thread message needs. */
export interface ThreadMessageDeps {
  engine: Commands;
  logger: Logger;
  /** Slack users' names: the record never waits for one (see names.ts). */
  names: SlackNames;
  /** Work that outlives the request (adding a name): the adapter waits for it when it stops. */
  later: (work: Promise<unknown>) => void;
}

/**
 * Puts a message posted, edited or deleted in an episode's thread into the record. Over HTTP it
 * runs before Slack is answered (Slack never re-sends an event it was answered for), so it waits on
 * Slack for nothing: an author whose name is not known yet is recorded by their Slack id, and the
 * bot adds their name once Slack gives it. The channel and `ts` identify the message, so the same
 * message under another event id is recorded once.
 */
export async function recordThreadMessage(
  deps: ThreadMessageDeps,
  client: WebClient,
  event: unknown,
  eventId: string | undefined,
): Promise<'done' | 'try again'> {
  const parsed = messageEvent.safeParse(event);
  if (!parsed.success) {
    deps.logger.warn(
      { eventId, fields: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) },
      'slack: a message event of an unexpected shape was ignored',
    );
    return 'done';
  }
  const e = parsed.data;
  let change: 'posted' | 'edited' | 'deleted' = 'posted';
  let m: SlackMessage = e;
  if (e.subtype === 'message_changed' && e.message) {
    if (e.message.text === e.previous_message?.text) return 'done'; // unfurls and reply counts, not edits
    change = 'edited';
    m = e.message;
  } else if (e.subtype === 'message_deleted' && e.previous_message) {
    change = 'deleted';
    m = { ...e.previous_message, ts: e.deleted_ts ?? e.previous_message.ts };
  } else if (e.subtype && e.subtype !== 'file_share' && e.subtype !== 'thread_broadcast') return 'done';
  // Only replies in a thread by people: the thread's root and the bot's cards are ours already.
  if (!m.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user || !m.ts) return 'done';
  const name = deps.names.known(m.user);
  const thread = { platform: 'slack', threadRef: threadRef(e.channel, m.thread_ts) } as const;
  const result = await deps.engine.execute({
    type: 'record_message',
    actor: { platform: 'slack', userId: m.user, ...(name ? { displayName: name } : {}) },
    ...(eventId ? { eventId } : {}),
    thread,
    messageId: m.ts,
    text: m.text ?? '',
    files: (m.files ?? []).map((f) => f.name ?? 'unnamed file'),
    change,
  });
  // Not in an episode's thread: nothing to add.
  if (!result.ok && result.error.code === 'unknown_episode') return 'done';
  // Something went wrong on our side and nothing was written: Slack is asked to send it again.
  if (!result.ok && result.error.code === 'internal_error') return 'try again';
  if (!result.ok && result.error.code !== 'recording_delayed')
    deps.logger.warn({ code: result.error.code, change }, 'thread message not recorded');
  // Written under the Slack id: the name follows when Slack gives it. Otherwise (staff, who keep
  // their configured names, or a message held until the database is back) it is only asked for,
  // ready for the person's next message.
  if (!name)
    deps.later(
      result.ok && result.unnamed && !result.duplicate && change === 'posted'
        ? nameLater(deps, m.user, thread, m.ts)
        : deps.names.lookUp(m.user),
    );
  // Whatever the person should know (kept in parts, held until the database is back, or not
  // recorded and why) reaches them privately, after the record is written or held; Slack being
  // slow here delays nobody's entry.
  const text = result.ok ? (result.reply ? fallbackText(result.reply) : null) : describeError(result.error);
  if (text)
    void client.chat
      .postEphemeral({ channel: e.channel, user: m.user, thread_ts: m.thread_ts, text })
      .catch((error: unknown) =>
        deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'slack: notice not sent'),
      );
  return 'done';
}

/** Asks Slack who wrote a message recorded under their id, and adds the name to the record. */
async function nameLater(
  deps: ThreadMessageDeps,
  userId: string,
  thread: { platform: 'slack'; threadRef: string },
  messageId: string,
): Promise<void> {
  const name = await deps.names.lookUp(userId);
  if (!name) return;
  const result = await deps.engine.execute({
    type: 'name_author',
    actor: { platform: 'slack', userId, displayName: name },
    thread,
    messageId,
  });
  if (!result.ok) deps.logger.warn({ code: result.error.code }, 'slack: the author’s name was not added');
}
