// A child missing from foster care, through the playground's API as the page drives it, on the
// demo configuration's fostering service: the carer's first checks, both social workers told at
// once (the reminder goes to the carers and their supervising social worker until they are), the
// child's social worker deciding on the police, the safeguarding lead's Ofsted decision within 24
// hours, and a record that names who did each thing and keeps the fostering regulations' period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from '../support/temp.ts';

let app: App;
const clock = new FakeClock(new Date('2026-11-20T22:10:00Z')); // a Friday night, GMT: out of office hours
beforeAll(async () => {
  app = await startApp({
    env: parseEnv({ DATA_DIR: tempDir('fostering-'), PORT: '0' }),
    clock,
    logger: silentLogger,
    startTicking: false,
  });
});
afterAll(() => app.stop());

interface Reply {
  ok: boolean;
  error?: string;
  card?: Card;
  form?: { value: string; fields: { name: string; options?: { value: string }[] }[] };
}
const post = async (route: string, body: Record<string, unknown>) =>
  (await fetch(`${app.url}/api/web/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'brook-fostering', ...body }),
  }).then((r) => r.json())) as Reply;
const thread = async (episodeId: string) =>
  (
    (await fetch(`${app.url}/api/web/thread/${episodeId}?channel=brook-fostering`).then((r) => r.json())) as {
      items: { kind: string; card?: Card }[];
    }
  ).items;
/** A stage's checklist card as the thread shows it: each item's label and help. */
async function stageCard(episodeId: string, title: string) {
  const card = (await thread(episodeId)).find((i) => i.kind === 'card' && i.card!.title.startsWith(title))?.card;
  expect(card, `the "${title}" card`).toBeDefined();
  const checklist = card!.blocks.find((b) => b.type === 'checklist') as Extract<
    Card['blocks'][number],
    { type: 'checklist' }
  >;
  return Object.fromEntries(checklist.items.map((i) => [i.id, { label: i.label, help: i.help ?? '' }]));
}
const recordOf = async (episodeId: string) =>
  (await app.store.transaction((tx) => tx.record.list(episodeId))).map((e) => ({
    ...e,
    data: JSON.parse(e.dataJson) as Record<string, unknown>,
  }));
const pendingRules = async (episodeId: string) =>
  (await app.store.transaction((tx) => tx.pings.pending(episodeId))).map((p) => p.rule).sort();
const episode = (id: string) => app.store.transaction((tx) => tx.episodes.get(id));

describe('a child missing from foster care', () => {
  let id = '';

  it('opens with the fostering procedure: the carer’s checks and both social workers, with whom to call', async () => {
    const opened = await post('command', { user: 'rosa', text: '/missing CM' });
    expect(opened).toMatchObject({ ok: true });
    await app.ticker.tick();
    const [open] = await app.store.transaction((tx) => tx.episodes.listActive());
    id = open!.id;

    const first = await stageCard(id, 'First checks (the foster carer, straight away)');
    expect(Object.keys(first)).toEqual([
      'search-home',
      'search-grounds',
      'call-child',
      'ask-friends',
      'follow-child',
      'confirm-last-seen',
    ]);
    expect(first['follow-child']!.label).toMatch(/follow them if it is safe, and keep the child’s social worker told/);

    const notify = await stageCard(id, 'Tell the social workers at once');
    // Friday 22:10: out of hours, the emergency duty team and the agency's on-call come first.
    expect(notify['tell-social-worker']!.help).toBe(
      'Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — Demo EDT line — 01632 960999. In office hours: call the child’s social worker — Demo social worker, placing authority — 01632 960111.',
    );
    expect(notify['tell-supervising-social-worker']!.help).toBe(
      'Out of office hours (Mon–Fri 09:00–17:00): call the agency’s on-call — Brook Fostering on-call — 07700 900789. In office hours: call the supervising social worker — Lee Marsh, Brook Fostering — 07700 900456.',
    );
    expect(notify['report-police']!.label).toMatch(/^Police: the child’s social worker decides/);

    // The plan drives the items: the IRO is not asked for; CM is placed under section 20.
    const stored = (await episode(id))!;
    expect(stored.checklist['tell-iro']).toMatchObject({
      status: 'not_applicable',
      reason: 'the plan does not ask for the IRO to be told',
    });
    expect(stored.checklist['with-parents-section-20']).toBeUndefined();
    const opening = (await recordOf(id)).find((e) => e.kind === 'episode_opened')!;
    expect(opening).toMatchObject({ authorName: 'Rosa Hill', authorRole: 'foster_carer' });
    expect(opening.data.notApplicableByPlan).toEqual(['tell-iro']);
  });

  it('reminds the carers and the supervising social worker until both social workers are told', async () => {
    expect(await pendingRules(id)).toEqual(
      expect.arrayContaining(['social-workers-not-told', 'ofsted-24h', 'police-not-told']),
    );
    clock.set('2026-11-20T22:15:00Z');
    await app.ticker.tick();
    const ping = (await recordOf(id)).find((e) => e.data.rule === 'social-workers-not-told')!;
    expect(ping.text).toMatch(
      /^Reminder to Rosa Hill, Tom Hill, Lee Marsh: CM’s social worker and supervising social worker must both be told at once/,
    );
    expect(ping.data.to).toEqual(['rosa', 'tom', 'lee']);

    // Rosa tells the emergency duty team and the agency's on-call in the same minute.
    for (const party of ['edt', 'agency-on-call'])
      expect(
        await post('form', {
          user: 'rosa',
          value: `notification|${id}|`,
          values: { party, decision: 'notified', method: 'phone', response: 'Noted, will call back' },
        }),
      ).toMatchObject({ ok: true });
    const stored = (await episode(id))!;
    expect(stored.checklist['tell-social-worker']).toMatchObject({ status: 'done' });
    expect(stored.checklist['tell-supervising-social-worker']).toMatchObject({ status: 'done' });
    expect(await pendingRules(id)).not.toContain('social-workers-not-told');
    const told = (await recordOf(id)).filter((e) => e.kind === 'notification').map((e) => [e.authorName, e.data.party]);
    expect(told).toEqual([
      ['Rosa Hill', 'edt'],
      ['Rosa Hill', 'agency-on-call'],
    ]);
  });

  it('records the social worker’s decision on the police under their name, with no manager asked', async () => {
    const form = await post('action', {
      user: 'rosa',
      action: 'open_form',
      value: `notification|${id}|`,
    });
    expect(form.form!.fields.map((f) => f.name)).toContain('decidedBy');
    expect(form.form!.fields.find((f) => f.name === 'party')!.options!.map((o) => o.value)).toContain(
      'supervising-social-worker',
    );
    const decided = await post('form', {
      user: 'rosa',
      value: `notification|${id}|`,
      values: {
        party: 'police',
        decision: 'not_required',
        decidedBy: 'Ms Patel, EDT duty social worker',
        reason: 'Found at a friend’s house through the carer’s own calls; safe there, collecting her now',
      },
    });
    expect(decided).toMatchObject({ ok: true });
    expect(await app.store.transaction((tx) => tx.approvals.pendingFor(id))).toEqual([]);
    expect((await episode(id))!.checklist['report-police']).toMatchObject({ status: 'done' });
    expect(await pendingRules(id)).not.toContain('police-not-told');
    const entry = (await recordOf(id)).filter((e) => e.kind === 'notification').at(-1)!;
    expect(entry).toMatchObject({
      authorName: 'Rosa Hill',
      data: {
        party: 'police',
        decision: 'not_required',
        decidedBy: 'Ms Patel, EDT duty social worker',
        decidedAs: 'childs_social_worker',
      },
    });
    // The card at the top of the thread says whose decision it was.
    await app.ticker.tick();
    const root = (await thread(id)).find((i) => i.kind === 'card' && i.card!.title.startsWith('CM —'))!.card!;
    expect(JSON.stringify(root)).toContain('Not reported: the child’s social worker decided it was not required');
    expect(entry.text).toBe(
      'The child’s social worker decided the police need not be told (decided by Ms Patel, EDT duty social worker, recorded by Rosa Hill): Found at a friend’s house through the carer’s own calls; safe there, collecting her now',
    );
  });

  it('asks the managers for the Ofsted decision within 24 hours of the opening, and takes it from them', async () => {
    clock.set('2026-11-20T23:10:00Z');
    await app.ticker.tick();
    const ping = (await recordOf(id)).find((e) => e.data.rule === 'ofsted-24h')!;
    expect(ping.text).toMatch(
      /^Reminder to Dana Cole, Lee Marsh: The safeguarding lead notifies Ofsted of every episode/,
    );
    expect(ping.text).toContain('by Sat 21 Nov 22:10');
    expect(
      await post('form', {
        user: 'dana',
        value: `notification|${id}|`,
        values: {
          party: 'ofsted',
          decision: 'not_required',
          reason: 'Not a serious event: found safe within the hour',
        },
      }),
    ).toMatchObject({ ok: true });
    expect(await pendingRules(id)).not.toContain('ofsted-24h');
  });

  it('marks “tell the police the child is back” not applicable on a return the police never heard of', async () => {
    clock.set('2026-11-20T23:20:00Z');
    const form = await post('command', { user: 'rosa', text: '/missing returned CM' });
    expect(
      await post('form', {
        user: 'rosa',
        value: form.form!.value,
        values: {
          at: '2026-11-20T23:00:00.000Z',
          how: 'Collected by Rosa',
          whereFound: 'A friend’s house',
          condition: 'Well, tired',
          indicators: [],
        },
      }),
    ).toMatchObject({ ok: true });
    expect((await episode(id))!.checklist['tell-police-return']).toMatchObject({
      status: 'not_applicable',
      reason: 'the police were not told of this episode',
    });
    await app.ticker.tick();
    const back = await stageCard(id, 'When the child is found');
    expect(Object.keys(back)).toContain('write-down-conversations');
  });

  it('keeps the retention of a child’s case record on the exported record', async () => {
    const asked = (await post('command', { user: 'dana', text: '/missing export CM' })) as Reply & {
      files?: { name: string; url: string }[];
    };
    expect(asked).toMatchObject({ ok: true });
    const json = asked.files!.find((f) => f.name.endsWith('.json'))!;
    const doc = (await (await fetch(`${app.url}${json.url}`, { method: 'POST' })).json()) as {
      retention: { keepUntil: string; rule: string };
    };
    expect(doc.retention).toEqual({
      keepUntil: '2086-08-02',
      rule: "75 years from the child's date of birth (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50)",
    });
  });
});
