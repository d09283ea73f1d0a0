import { expect } from 'vitest';
import { channelMessage, thread } from './activities.ts';
import { channelToken, type SigningKey } from './bot-framework.ts';
import { cardsOf } from './cards.ts';
import { activitiesPath, conversationsPath, expectCall, type TeamsTest } from './harness.ts';

/** Ids Teams gives the episode's root post and the two first checklist cards in these tests. */
export const ROOT = '1700000000200';
export const ESTABLISH = '1700000000201';
export const NOTIFY = '1700000000202';

/**
 * Jo types "@Missing bot missing AJ" in the home's channel; the outbox then posts the root card
 * as a new post and the first two checklists into its reply chain. Returns the episode id and
 * the cards as Teams received them.
 */
export async function openAjInTeams(t: TeamsTest, key: SigningKey, messageId = '1700000000101') {
  const reply = expectCall('post', activitiesPath(thread(messageId), messageId), 200, { id: `${messageId}9` });
  const response = await t.post(
    channelMessage({ id: messageId, text: 'missing AJ', mentionBot: true }),
    channelToken(key),
  );
  expect(response.status).toBe(200);
  expect(reply).toHaveLength(1);

  const root = expectCall('post', conversationsPath(), 201, { id: thread(ROOT), activityId: ROOT });
  const establish = expectCall('post', activitiesPath(thread(ROOT)), 201, { id: ESTABLISH });
  const notify = expectCall('post', activitiesPath(thread(ROOT)), 201, { id: NOTIFY });
  expect(await t.deliver()).toMatchObject({ delivered: 3, retried: 0, failed: 0 });

  const episode = await t.bot.database.prisma.episode.findFirstOrThrow();
  return {
    episodeId: episode.id,
    threadRef: episode.threadRef!,
    reply: reply[0] as Record<string, unknown>,
    root: root[0] as Record<string, unknown>,
    cards: {
      reply: cardsOf(reply[0])[0]!,
      root: cardsOf((root[0] as { activity: unknown }).activity)[0]!,
      establish: cardsOf(establish[0])[0]!,
      notify: cardsOf(notify[0])[0]!,
    },
  };
}
