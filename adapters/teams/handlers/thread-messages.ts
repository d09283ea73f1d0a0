import { createHash } from 'node:crypto';
import type { Activity, ActivityTimestamps, TurnContext } from 'botbuilder';
import type { Result } from '../../../src/engine/base/context.ts';
import {
  activityKey,
  actorOf,
  channelIdOf,
  fileNames,
  plainText,
  serviceUrlOf,
  tenantOf,
} from '../activity/activity.ts';
import { decodeThreadRef, encodeThreadRef, rootMessageOf } from '../activity/thread-ref.ts';
import { refusalCard, reply, type HandlerDeps } from './deps.ts';

type Change = 'posted' | 'edited' | 'deleted';

/**
 * The event id that makes a retried delivery count once. An edit reuses the message's id, so
 * each edit is told apart by its time and new text.
 */
function eventId(a: Partial<ActivityTimestamps>, change: Change): string {
  if (change === 'posted') return activityKey('msg', a);
  if (change === 'deleted') return activityKey('delete', a);
  const when = a.rawTimestamp ?? (a.timestamp ? new Date(a.timestamp).toISOString() : '');
  const text = createHash('sha256')
    .update(a.text ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${activityKey('edit', a)}:${when}:${text}`;
}

/**
 * The ref the episode was stored under, when it differs from the one this activity encodes to
 * (Microsoft moved the tenant to another serviceUrl since the root card was posted).
 */
async function storedRef(deps: HandlerDeps, a: Partial<Activity>, conversationId: string): Promise<string | null> {
  const channelId = channelIdOf(a);
  if (!channelId) return null;
  const view = await deps.queries.homeView('teams', channelId);
  const episode = view?.episodes.find(
    (e) => e.threadRef && decodeThreadRef(e.threadRef)?.conversationId === conversationId,
  );
  return episode?.threadRef ?? null;
}

/**
 * Puts a message posted, edited or deleted in an episode's reply chain into the record (Teams
 * delivers every channel message thanks to the manifest's resource-specific consent). Returns
 * whether the reply chain is an episode's thread.
 */
export async function recordInThread(ctx: TurnContext, deps: HandlerDeps, change: Change): Promise<boolean> {
  const a = ctx.activity;
  const conversationId = a.conversation?.id;
  const tenantId = tenantOf(a);
  const serviceUrl = serviceUrlOf(a);
  if (!conversationId || !rootMessageOf(conversationId) || !tenantId || !serviceUrl || !a.id) return false;

  const run = (threadRef: string): Promise<Result> =>
    deps.engine.execute({
      type: 'record_message',
      actor: actorOf(a),
      eventId: eventId(a, change),
      thread: { platform: 'teams', threadRef },
      messageId: a.id,
      text: change === 'deleted' ? '' : plainText(a),
      files: change === 'deleted' ? [] : fileNames(a),
      change,
    });
  let result = await run(encodeThreadRef({ conversationId, tenantId, serviceUrl }));
  if (!result.ok && result.error.code === 'unknown_episode') {
    const ref = await storedRef(deps, a, conversationId);
    if (!ref) return false; // an ordinary conversation in the home's channel, not an episode
    result = await run(ref);
  }
  if (!result.ok && result.error.code === 'unknown_episode') return false;
  // A message the record cannot take (too long) gets the reason; one with nothing in it is left.
  if (!result.ok && result.error.code !== 'text_empty') await reply(ctx, refusalCard(result.error), deps.logger);
  // What the person should know about what was recorded (kept in parts) is answered in the chain.
  if (result.ok && result.reply) await reply(ctx, result.reply, deps.logger);
  return true;
}
