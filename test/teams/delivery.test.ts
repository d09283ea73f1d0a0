import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noticeCard } from '../../src/messages/cards.ts';
import { CHANNEL, channelMessage, homesYaml, people, thread } from '../support/teams/activities.ts';
import {
  APP_ID,
  CONNECTOR,
  channelToken,
  publishKeys,
  SERVICE_URL,
  signingKey,
  TENANT,
} from '../support/teams/bot-framework.ts';
import { cardsOf, textsOf } from '../support/teams/cards.ts';
import { ROOT } from '../support/teams/flows.ts';
import {
  activitiesPath,
  conversationsPath,
  expectCall,
  startTeamsTest,
  type TeamsTest,
} from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');
const T0 = new Date('2026-11-20T22:10:00Z');

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

const outbox = () => t.bot.database.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
const at = (seconds: number) => t.bot.clock.set(new Date(T0.getTime() + seconds * 1000));

/** Jo's "@Missing bot missing AJ" (answered), leaving the root card and checklists in the outbox. */
async function openAj() {
  expectCall('post', activitiesPath(thread('1700000000101'), '1700000000101'), 200, { id: 'r' });
  await t.post(channelMessage({ id: '1700000000101', text: 'missing AJ', mentionBot: true }), channelToken(key));
}
const rootAndChecklists = () => {
  const root = expectCall('post', conversationsPath(), 201, { id: thread(ROOT), activityId: ROOT });
  expectCall('post', activitiesPath(thread(ROOT)), 201, { id: '1700000000201' });
  expectCall('post', activitiesPath(thread(ROOT)), 201, { id: '1700000000202' });
  return root;
};

describe('delivering to Teams through the outbox', () => {
  it('waits as long as a 429’s Retry-After asks, then posts the root card exactly once', async () => {
    t = await startTeamsTest();
    await openAj();
    expectCall('post', conversationsPath(), 429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '30' });
    expect(await t.deliver()).toMatchObject({ delivered: 0, retried: 1 });
    const [root] = await outbox();
    expect(root).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Teams is throttling the bot (429)' });
    expect(root?.nextAttemptAt).toEqual(new Date(T0.getTime() + 30_000));

    at(29);
    expect(await t.deliver()).toMatchObject({ delivered: 0, retried: 0 }); // nothing nocked: nothing may be sent
    at(30);
    const posted = rootAndChecklists();
    expect(await t.deliver()).toMatchObject({ delivered: 3, retried: 0 });
    expect(posted).toHaveLength(1);
    expect((await outbox()).every((m) => m.status === 'sent')).toBe(true);
  });

  it('retries a 5xx with backoff, saying the post may already be there', async () => {
    t = await startTeamsTest();
    await openAj();
    expectCall('post', conversationsPath(), 502, 'Bad gateway');
    expect(await t.deliver()).toMatchObject({ retried: 1 });
    expect((await outbox())[0]?.lastError).toBe(
      'Teams connector answered 502; Teams may have posted it anyway, so a retry can show it twice',
    );
    at(2);
    rootAndChecklists();
    expect(await t.deliver()).toMatchObject({ delivered: 3 });
  });

  it('gives up on a message Teams refuses for good (the bot was removed from the team), and says why', async () => {
    t = await startTeamsTest();
    await openAj();
    expectCall('post', conversationsPath(), 403, {
      error: { code: 'BotNotInConversationRoster', message: 'not in roster' },
    });
    expect(await t.deliver()).toMatchObject({ failed: 1 });
    expect((await outbox())[0]).toMatchObject({
      status: 'failed',
      lastError:
        'the bot may not post there (removed from the team, or a private channel): 403 (BotNotInConversationRoster)',
    });
    expect(t.logs.find((l) => l.level === 'error')?.message).toBe('delivery refused by the platform');
    // Oak House uses only Teams: with no other route to its managers, the log says so, naming it.
    const alert = t.logs.find((l) => /managers have no other route/.test(l.message));
    expect(alert).toMatchObject({ level: 'error', context: { homeId: 'oak-house', platform: 'teams' } });
  });

  it('tells the managers on another platform the home uses when Teams refuses for good', async () => {
    // The home also has the playground, where Sam has an identity.
    const homes = homesYaml
      .replace(`teams: '${CHANNEL}'`, `teams: '${CHANNEL}'\n      web: oak-house`)
      .replace(`teams: '${people.sam.aadObjectId}' }`, `teams: '${people.sam.aadObjectId}', web: sam }`);
    expect(homes).toContain('web: sam');
    t = await startTeamsTest({ homes });
    await openAj();
    expectCall('post', conversationsPath(), 403, {
      error: { code: 'BotNotInConversationRoster', message: 'not in roster' },
    });
    expect(await t.deliver()).toMatchObject({ failed: 1 });
    const alerts = (await outbox()).filter((o) => o.platform === 'web');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ target: 'direct', status: 'pending' });
    expect(JSON.parse(alerts[0]!.payloadJson).card.fallback).toBe(
      'Teams refused a message from the bot for AJ’s episode at Oak House for good (the bot may not post there (removed from the team, or a private channel): 403 (BotNotInConversationRoster)). Reminders and cards there will not arrive until this is fixed: check that the bot is still in the home’s team, and follow the episode here meanwhile.',
    );
  });

  it('posts first to the configured tenant through the public cloud’s connector before Teams has sent anything', async () => {
    t = await startTeamsTest({ adapter: { env: { BOT_ID: APP_ID, BOT_TENANT_ID: TENANT } } });
    const opened = await t.bot.engine.execute({
      type: 'open_episode',
      actor: { platform: 'teams', userId: people.jo.aadObjectId },
      channel: { platform: 'teams', channelRef: CHANNEL },
      child: 'AJ',
    });
    expect(opened.ok).toBe(true);
    const root: unknown[] = [];
    nock(CONNECTOR)
      .post('/teams/v3/conversations', (b) => (root.push(b), true))
      .reply(201, { id: thread(ROOT), activityId: ROOT })
      .post(`/teams/v3/conversations/${encodeURIComponent(thread(ROOT))}/activities`)
      .times(2)
      .reply(201, { id: '1700000000201' });
    expect(await t.deliver()).toMatchObject({ delivered: 3 });
    expect(root[0]).toMatchObject({ tenantId: TENANT, channelData: { channel: { id: CHANNEL } } });
  });

  it('sends a personal message, opening the one-to-one chat once and reusing it', async () => {
    t = await startTeamsTest();
    await openAj(); // Teams has now told the bot where the tenant is
    const created = expectCall('post', conversationsPath(), 201, { id: 'a:1sam-personal-chat' });
    const first = expectCall('post', activitiesPath('a:1sam-personal-chat'), 201, { id: 'dm-1' });
    expect(
      await t.platform.sendDirect(people.sam.aadObjectId, noticeCard('Reminder: AJ’s police report is due')),
    ).toEqual({
      // The ref names the chat as well as the message, so the message can be updated later.
      messageRef: `teams1|${TENANT}|${SERVICE_URL}|a:1sam-personal-chat#dm-1`,
    });
    expect(created[0]).toMatchObject({ isGroup: false, tenantId: TENANT, members: [{ id: people.sam.aadObjectId }] });
    expect(textsOf(cardsOf(first[0])[0])).toEqual(['Reminder: AJ’s police report is due']);

    expectCall('post', activitiesPath('a:1sam-personal-chat'), 201, { id: 'dm-2' });
    expect(await t.platform.sendDirect(people.sam.aadObjectId, noticeCard('Second reminder'))).toEqual({
      messageRef: `teams1|${TENANT}|${SERVICE_URL}|a:1sam-personal-chat#dm-2`,
    });
  });

  it('keeps what it learnt in the database: another instance, or the bot after a restart, posts first at once', async () => {
    t = await startTeamsTest();
    await openAj(); // Teams has now told this instance where the tenant and the channel are
    const other = await startTeamsTest({ bot: t.bot });
    try {
      const root = expectCall('post', conversationsPath(), 201, { id: thread(ROOT), activityId: ROOT });
      await other.platform.startThread(CHANNEL, noticeCard('AJ — missing from care'));
      expect(root[0]).toMatchObject({ tenantId: TENANT, channelData: { channel: { id: CHANNEL } } });
      const kept = await t.bot.database.prisma.platformAddress.findMany({ orderBy: { kind: 'asc' } });
      expect(kept.map((k) => [k.platform, k.kind])).toEqual(
        expect.arrayContaining([
          ['teams', 'channel'],
          ['teams', 'tenant'],
        ]),
      );
      // Inbound traffic writes only what changed: the same activity again adds nothing.
      const before = kept.map((k) => k.updatedAt.getTime());
      at(60);
      expectCall('post', activitiesPath(thread('1700000000102'), '1700000000102'), 200, { id: 'r' });
      await t.post(channelMessage({ id: '1700000000102', text: 'missing help', mentionBot: true }), channelToken(key));
      const after = await t.bot.database.prisma.platformAddress.findMany({ orderBy: { kind: 'asc' } });
      expect(after.map((k) => k.updatedAt.getTime())).toEqual(before);
    } finally {
      await other.close();
    }
  });

  it('cannot make a first post before it knows the tenant, and asks to be retried', async () => {
    t = await startTeamsTest();
    await expect(t.platform.startThread(CHANNEL, noticeCard('x'))).rejects.toMatchObject({
      name: 'DeliveryError',
      retryable: true,
      retryAfterMs: 60_000,
    });
  });
});
