import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followUpsDue } from '../../src/domain/closure.ts';
import { fosteringProtocol } from '../../src/protocol/fostering-protocol.ts';
import { demoChannel, episodeOf, jo, must, recordOf, startTestBot, type TestBot } from '../support/bot.ts';

// The fostering procedure's own rungs and rules, driven through the engine with a fake clock on
// the demo configuration, which holds a children's home and a fostering service side by side.
const rosa = { platform: 'web', userId: 'rosa' } as const; // foster carer
const dana = { platform: 'web', userId: 'dana' } as const; // registered manager
const brook = { platform: 'web', channelRef: 'brook-fostering' } as const;
const T0 = '2026-11-20T22:10:00Z';
const minutes = (n: number) => new Date(new Date(T0).getTime() + n * 60_000).toISOString();

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: T0 });
});
afterEach(() => bot.close());

const sent = async (rule: string) =>
  (await bot.database.prisma.ping.findMany({ where: { rule, status: 'sent' }, orderBy: { dueAt: 'asc' } })).map((p) =>
    p.dueAt.toISOString(),
  );
async function at(n: number) {
  bot.clock.set(minutes(n));
  await bot.tick();
}
const open = async () =>
  (await must(bot.engine, { type: 'open_episode', actor: rosa, channel: brook, child: 'CM' })).episodeId!;
/** The child back `n` minutes after opening (the clock moved on to then), found well. */
async function returned(episodeId: string, n: number, how: string, whereFound: string) {
  bot.clock.set(minutes(n));
  await must(bot.engine, {
    type: 'record_return',
    actor: rosa,
    episodeId,
    at: minutes(n),
    how,
    whereFound,
    condition: 'Well',
    indicators: [],
  });
}
const tell = (episodeId: string, party: string) =>
  must(bot.engine, { type: 'record_notification', actor: rosa, episodeId, party, decision: 'notified' });

describe('the fostering procedure', () => {
  it('reminds at +5 min and every 15 until both social workers are told, then stops', async () => {
    const id = await open();
    await at(5);
    await at(20);
    await tell(id, 'social-worker');
    await at(35); // the supervising social worker is still to be told
    expect(await sent('social-workers-not-told')).toEqual([minutes(5), minutes(20), minutes(35)]);
    await tell(id, 'agency-on-call');
    await at(50);
    expect(await sent('social-workers-not-told')).toHaveLength(3);
  });

  it('asks for the Ofsted decision from +1 h every 6 h up to its 24-hour limit, and goes on after the return', async () => {
    const id = await open();
    for (const n of [60, 420, 780, 1140, 1500]) await at(n);
    // 1 h, 7 h, 13 h, 19 h; at the limit of 24 h the reminder gives way to the overdue one.
    expect(await sent('ofsted-24h')).toEqual([minutes(60), minutes(420), minutes(780), minutes(1140)]);
    expect(await sent('ofsted-24h-breach')).toEqual([minutes(1440)]);
    await returned(id, 1500, 'Collected by Rosa', 'A friend’s house');
    const episode = (await episodeOf(bot, id))!;
    const ofsted = followUpsDue(episode, fosteringProtocol).find((f) => f.id === 'reg40')!;
    expect(ofsted).toMatchObject({
      what: 'telling Ofsted of the missing episode (Fostering Services (England) Regulations 2011, regulation 36)',
      dueBy: new Date(minutes(1440)),
    });
    await must(bot.engine, {
      type: 'record_notification',
      actor: dana,
      episodeId: id,
      party: 'ofsted',
      decision: 'notified',
      method: 'Ofsted portal',
    });
    expect((await episodeOf(bot, id))!.checklist['ofsted-decision']).toMatchObject({ status: 'done' });
  });

  it('refuses "police not required" for a child at high risk, whoever decided, and records nothing of it', async () => {
    const id = await open();
    await must(bot.engine, {
      type: 'set_risk',
      actor: rosa,
      episodeId: id,
      level: 'high',
      factors: ['risky-associates'],
      reason: 'Seen getting into a car with an older man',
    });
    const before = (await recordOf(bot, id)).length;
    const refused = await bot.engine.execute({
      type: 'record_notification',
      actor: rosa,
      episodeId: id,
      party: 'police',
      decision: 'not_required',
      decidedBy: 'Ms Patel',
      reason: 'Social worker says wait',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'police_needed_high_risk' } });
    expect((await recordOf(bot, id)).length).toBe(before);
    expect((await episodeOf(bot, id))!.checklist['report-police']).toBeUndefined();
  });

  it('takes the police decision only from a named social worker who has been told, and never after a report', async () => {
    const id = await open(); // Friday 22:10
    const notRequired = (extra: Record<string, unknown> = {}) =>
      bot.engine.execute({
        type: 'record_notification',
        actor: rosa,
        episodeId: id,
        party: 'police',
        decision: 'not_required',
        reason: 'Known to be at her mother’s; the EDT will ask for a welfare check',
        ...extra,
      });
    expect(await notRequired({ decidedBy: 'Ms Patel' })).toMatchObject({
      ok: false,
      error: { code: 'social_worker_not_told' },
    });
    await tell(id, 'edt');
    expect(await notRequired()).toMatchObject({ ok: false, error: { code: 'decider_required' } });
    // The decision was taken at 22:20 and typed in at 22:30: the record keeps both times.
    bot.clock.set(minutes(20));
    expect(await notRequired({ decidedBy: 'Ms Patel (EDT)', at: minutes(10) })).toMatchObject({ ok: true });
    const entry = (await recordOf(bot, id)).filter((e) => e.kind === 'notification').at(-1)!;
    expect(JSON.parse(entry.dataJson)).toMatchObject({ decidedBy: 'Ms Patel (EDT)', at: minutes(10) });
    const notifications = await bot.database.prisma.notification.findMany({
      where: { episodeId: id, party: 'police' },
    });
    expect(notifications.map((n) => [n.at.toISOString(), n.response])).toEqual([
      [minutes(10), 'Decided by Ms Patel (EDT), the child’s social worker'],
    ]);
    // The managers and the placement hear of it directly, not only in the thread.
    await bot.tick();
    const told = bot.chat.delivered.filter(
      (d) => d.kind === 'direct' && JSON.stringify(d.card).includes('decided the police need not be told'),
    );
    expect(told.map((d) => d.to).sort()).toEqual(['dana', 'lee', 'tom']);
  });

  it('refuses "not required" once the police have the report', async () => {
    const id = await open();
    await tell(id, 'social-worker');
    await must(bot.engine, {
      type: 'record_police_report',
      actor: rosa,
      episodeId: id,
      reference: 'CAD 1234',
      officer: 'PC Evans',
      grade: 'medium',
    });
    const refused = await bot.engine.execute({
      type: 'record_notification',
      actor: rosa,
      episodeId: id,
      party: 'police',
      decision: 'not_required',
      decidedBy: 'Ms Patel',
      reason: 'Back now',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'police_already_reported' } });
  });

  it('reminds of both social workers even when the child is back within minutes', async () => {
    const id = await open();
    await returned(id, 3, 'Came back in', 'The garden shed');
    await at(5);
    expect(await sent('social-workers-not-told')).toEqual([minutes(5)]);
  });

  it('keeps closure waiting for the carer’s written account and both social workers, and keeps homes apart', async () => {
    const id = await open();
    await returned(id, 90, 'Found with her mother', 'Mill Road');
    bot.clock.set(minutes(95));
    const refused = await bot.engine.execute({ type: 'request_closure', actor: dana, episodeId: id, reason: 'Back' });
    if (refused.ok) throw new Error('closure was not refused');
    const missing = refused.error.detail?.missing;
    expect(missing).toEqual(
      expect.arrayContaining([
        'write down what the child says about being away, and share it with both social workers',
        'tell the child’s social worker and the supervising social worker the child is back',
      ]),
    );
    // A children's home's support worker cannot touch the fostering service's episode.
    const other = await bot.engine.execute({ type: 'tick_item', actor: jo, episodeId: id, itemId: 'collect-child' });
    expect(other).toMatchObject({ ok: false, error: { code: 'unknown_episode' } });
    // The homes are listed as the configuration orders them, whatever their ids.
    expect((await bot.queries.channels('web')).map((c) => c.channelRef)).toEqual(['oak-house', 'brook-fostering']);
    // And the children's home still runs its own procedure.
    const aj = (await must(bot.engine, { type: 'open_episode', actor: jo, channel: demoChannel, child: 'AJ' }))
      .episodeId!;
    await at(100);
    const rules = (await bot.store.transaction((tx) => tx.pings.pending(aj))).map((p) => p.rule);
    expect(rules).toContain('stage-1-open');
    expect(rules).not.toContain('social-workers-not-told');
  });
});
