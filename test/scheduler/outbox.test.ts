import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/ports/chat.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { deliverOutbox } from '../../src/scheduler/deliver-outbox.ts';
import { episodeOf, jo, must, openEpisode, openWithThread, priya, startTestBot, type TestBot } from '../support/bot.ts';

const T0 = new Date('2026-11-20T22:10:00Z');

let bot: TestBot;
afterEach(() => bot.close());

/** Sets the clock to `seconds` after T0. */
const atSeconds = (seconds: number) => bot.clock.set(new Date(T0.getTime() + seconds * 1000));

async function outboxRows() {
  return bot.database.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
}

const openAj = () => openEpisode(bot, 'AJ');

describe('delivering the outbox', () => {
  it('waits at least as long as a rate limit asks before trying again, then delivers', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    bot.chat.failures.push(new DeliveryError('ratelimited', true, 30_000));
    await openAj();
    await bot.tick();
    expect(bot.chat.delivered).toEqual([]);
    const [root] = await outboxRows();
    expect(root).toMatchObject({ target: 'episode_root', status: 'pending', attempts: 1, lastError: 'ratelimited' });
    expect(root?.nextAttemptAt).toEqual(new Date(T0.getTime() + 30_000));

    atSeconds(29.999);
    await bot.tick();
    expect(bot.chat.delivered).toEqual([]);
    atSeconds(30);
    await bot.tick();
    expect(bot.chat.delivered.map((d) => d.kind)).toEqual(['root', 'thread', 'thread']);
    expect((await outboxRows()).every((r) => r.status === 'sent')).toBe(true);
  });

  it('backs off further after each failure during a platform outage, then delivers', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    bot.chat.failures.push(
      new DeliveryError('503 Service Unavailable', true),
      new DeliveryError('502 Bad Gateway', true),
    );
    await openAj();
    await bot.tick(); // first failure: next try 2 s later
    atSeconds(1.9);
    await bot.tick();
    expect((await outboxRows())[0]?.attempts).toBe(1);
    atSeconds(2);
    await bot.tick(); // second failure: next try 4 s after that
    expect((await outboxRows())[0]).toMatchObject({ attempts: 2, lastError: '502 Bad Gateway' });
    atSeconds(5.9);
    await bot.tick();
    expect(bot.chat.delivered).toEqual([]);
    atSeconds(6);
    await bot.tick();
    expect(bot.chat.titles('root')).toEqual(['AJ — missing from care']);
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('drops nothing: once failures clear every card arrives exactly once, in order, root first', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    bot.chat.failures.push(
      new DeliveryError('ratelimited', true, 5_000),
      new DeliveryError('503', true),
      new DeliveryError('503', true),
    );
    const aj = await openAj();
    // BT is high risk: the "police not told" reminder is due at once, so direct messages queue too.
    const bt = await openEpisode(bot, 'BT', priya);
    await bot.tick();
    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId: aj, itemId: 'check-room' });
    bot.chat.failures.push(new DeliveryError('ratelimited', true, 1_000), new DeliveryError('503', true));
    await must(bot.engine, { type: 'tick_item', actor: priya, episodeId: bt, itemId: 'ask-peers' });
    for (let s = 1; s <= 120 && (await outboxRows()).some((r) => r.status === 'pending'); s++) {
      atSeconds(s);
      await bot.tick();
    }

    const rows = await outboxRows();
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    expect(bot.chat.delivered).toHaveLength(rows.length);
    expect(bot.chat.failures).toEqual([]);
    for (const episodeId of [aj, bt]) {
      const queued = rows
        .filter((r) => r.episodeId === episodeId)
        .map((r) => JSON.stringify(JSON.parse(r.payloadJson).card));
      const mine = new Set(queued);
      const delivered = bot.chat.delivered.filter((d) => mine.has(JSON.stringify(d.card)));
      expect(delivered.map((d) => JSON.stringify(d.card))).toEqual(queued);
      expect(delivered[0]?.kind).toBe('root');
    }
    expect(bot.chat.delivered.filter((d) => d.kind === 'direct').length).toBeGreaterThan(0);
  });

  it('keeps a message the platform refuses for good, marked failed, and carries on with the rest', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    const episodeId = await openAj();
    await bot.tick();
    bot.chat.failures.push(new DeliveryError('invalid_blocks', false));
    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'check-room' });
    await bot.tick();
    const refused = (await outboxRows()).at(-1);
    expect(refused).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'invalid_blocks',
      cardKey: 'checklist:establish',
    });

    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'ask-peers' });
    atSeconds(600);
    await bot.tick();
    await bot.tick();
    expect(bot.chat.delivered.at(-1)).toMatchObject({
      kind: 'update',
      card: { title: expect.stringMatching(/4 open$/) },
    });
    // The refused row is still there, still failed, and was never tried again.
    expect(await bot.database.prisma.outboxMessage.findUnique({ where: { id: refused!.id } })).toMatchObject({
      status: 'failed',
      attempts: 1,
    });
  });

  it('updates a card with the same key in place rather than posting it again', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    const episodeId = await openAj();
    await bot.tick();
    const stage1 = bot.chat.delivered[1]!;
    expect(stage1).toMatchObject({ kind: 'thread', card: { title: expect.stringMatching(/^Stage 1 .* 6 open$/) } });
    const { threadRef } = (await episodeOf(bot, episodeId))!;

    // One press, one update of the same message.
    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'check-room' });
    await bot.tick();
    // Two presses before the outbox runs: the update still waiting is replaced by the newer one,
    // so the message goes straight to the latest state.
    await must(bot.engine, { type: 'tick_item', actor: priya, episodeId, itemId: 'ask-peers' });
    await must(bot.engine, { type: 'tick_item', actor: priya, episodeId, itemId: 'search-building' });
    await bot.tick();
    const updates = bot.chat.delivered.filter((d) => d.kind === 'update' && d.messageRef === stage1.messageRef);
    expect(updates.map((u) => [u.to, u.card.title.replace(/^.* — /, '')])).toEqual([
      [`${threadRef}#${stage1.messageRef}`, '5 open'],
      [`${threadRef}#${stage1.messageRef}`, '3 open'],
    ]);
    expect(bot.chat.titles('thread')).toHaveLength(2);
  });

  it('sends direct messages to the on-call person’s own platform id', async () => {
    bot = await startTestBot({ at: T0.toISOString(), homesYaml: elmHouse });
    await must(bot.engine, {
      type: 'open_episode',
      actor: { platform: 'web', userId: 'U-KIM-3' },
      channel: { platform: 'web', channelRef: 'elm-house' },
      child: 'CD',
    });
    bot.clock.set('2026-11-20T22:25:00Z'); // stage 1 still open after 15 minutes
    await bot.tick();
    const direct = bot.chat.delivered.filter((d) => d.kind === 'direct');
    expect(direct.map((d) => d.to)).toEqual(['U-DUTY-9']);
    expect(direct[0]?.card.fallback).toMatch(/stage 1 checks are still open/);
    const row = await bot.database.prisma.outboxMessage.findFirstOrThrow({ where: { target: 'direct' } });
    expect(JSON.parse(row.payloadJson).target).toEqual({ kind: 'direct', staffId: 'duty', platformUserId: 'U-DUTY-9' });
  });
});

/** A home whose on-call person's platform id differs from their staff id. */
const elmHouse = `
homes:
  - id: elm-house
    name: Elm House
    timeZone: Europe/London
    channels: { web: elm-house }
    onCall: [duty]
    policy: { reportAfterMinutes: 30, approverRoles: [manager, deputy_manager] }
    staff:
      - { id: ola, name: Ola Adams, role: manager, web: U-OLA-1 }
      - { id: duty, name: Dee Duty, role: deputy_manager, web: U-DUTY-9 }
      - { id: kim, name: Kim Lee, role: support_worker, web: U-KIM-3 }
    children:
      - { id: child-cd, alias: CD, name: Demo Child Three, dateOfBirth: '2011-03-02' }
`;

describe('messages held back behind an older one', () => {
  it('never stall other episodes, however many there are', async () => {
    bot = await startTestBot({ at: T0.toISOString() });
    // Two root cards fail once: each episode's checklists wait behind its root, due but held back.
    for (let i = 0; i < 2; i++) bot.chat.failures.push(new DeliveryError('503 Service Unavailable', true));
    for (const child of ['AJ', 'BT']) await openEpisode(bot, child);
    await bot.tick();
    expect(bot.chat.delivered).toEqual([]);
    const held = (await outboxRows()).filter((r) => r.status === 'pending' && r.target === 'thread');
    expect(held.length).toBeGreaterThanOrEqual(2);
    // A new child's root card, newer than every message held back, goes out in a batch of two.
    await must(bot.engine, {
      type: 'open_episode',
      actor: { platform: 'web', userId: 'rosa' },
      channel: { platform: 'web', channelRef: 'brook-fostering' },
      child: 'CM',
    });
    await deliverOutbox(
      { store: bot.store, clock: bot.clock, logger: silentLogger, platforms: platformsOf(bot) },
      'test',
      2,
    );
    expect(bot.chat.titles('root')).toEqual(['CM — missing from care']);
  });

  it('are held back only by their own platform: a copy no instance here sends holds nothing back', async () => {
    bot = await startTestBot({ at: T0.toISOString(), homesYaml: twoPlatformHouse });
    const { episodeId } = await openWithThread(bot, 'AJ');
    // The manager is on the playground and on Slack: the approval goes to both; this instance
    // serves only the playground, so the Slack copy waits for an instance that serves Slack.
    await must(bot.engine, {
      type: 'record_notification',
      actor: jo,
      episodeId,
      party: 'police',
      decision: 'not_required',
      reason: 'Known to be at her aunt’s, safe',
    });
    await bot.tick();
    const slackCopy = await bot.database.prisma.outboxMessage.findFirstOrThrow({ where: { platform: 'slack' } });
    expect(slackCopy).toMatchObject({ status: 'pending', target: 'direct' });
    const before = bot.chat.delivered.length;
    await must(bot.engine, {
      type: 'record_contact_attempt',
      actor: jo,
      episodeId,
      method: 'phone',
      outcome: 'No answer on her mobile',
    });
    await bot.tick();
    const after = bot.chat.delivered.slice(before);
    expect(after.some((d) => d.kind === 'update' || d.kind === 'thread')).toBe(true);
    const web = await bot.database.prisma.outboxMessage.findMany({ where: { platform: 'web', episodeId } });
    expect(web.filter((r) => r.status !== 'sent')).toEqual([]);
  });
});

const platformsOf = (b: TestBot) => new Map([[b.chat.platform, b.chat]]);

/** The demo home with its manager on the playground and on Slack. */
const twoPlatformHouse = `
homes:
  - id: oak-house
    name: Oak House
    timeZone: Europe/London
    channels: { web: oak-house, slack: C0OAK }
    onCall: [sam]
    staff:
      - { id: sam, name: Sam Okafor, role: manager, web: sam, slack: U0SAM }
      - { id: jo, name: Jo Reid, role: support_worker, web: jo }
    children:
      - { id: child-aj, alias: AJ, name: Demo Child One, dateOfBirth: '2010-05-14' }
`;
