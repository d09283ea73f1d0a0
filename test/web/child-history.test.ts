import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { homesYaml, samAndJo, writeHomesFile } from '../support/homes.ts';
import { tempDir } from '../support/temp.ts';
import { collectionYear } from '../../src/reports/returns-csv.ts';
import { missingTableProblems } from '../support/ssda903.ts';

// A child's real history, driven through the playground's API as the page drives it: a return and
// a new report ten minutes later, and a ten-year-old reported at 23:30.

const homes = homesYaml({
  id: 'oak-house',
  name: 'Oak House',
  channels: { web: 'oak-house' },
  onCall: ['sam'],
  staff: samAndJo('web'),
  children: [
    { id: 'child-aj', alias: 'AJ', dateOfBirth: '2010-05-14', plan: { reportAfterMinutes: 30 } },
    // Her plan still says "under 13" from years ago; the date of birth says 15.
    {
      id: 'child-mk',
      alias: 'MK',
      dateOfBirth: '2011-02-01',
      plan: { reportAfterMinutes: 30, riskFactors: ['under-13'] },
    },
    { id: 'child-ry', alias: 'RY', dateOfBirth: '2016-03-10', plan: { reportAfterMinutes: 30 } },
  ],
});

let app: App | undefined;
afterEach(() => app?.stop());

async function start(at: string) {
  const dir = tempDir('child-history-');
  const clock = new FakeClock(new Date(at));
  app = await startApp({
    env: parseEnv({ DATA_DIR: dir, PORT: '0', HOMES_FILE: writeHomesFile(dir, homes) }),
    clock,
    logger: silentLogger,
    startTicking: false,
  });
  return { app, clock };
}

interface Reply {
  ok: boolean;
  error?: string;
  card?: { title: string; blocks: { type: string; text?: string; fields?: { label: string; value: string }[] }[] };
  form?: { value: string };
}
const post = async (path: string, body: Record<string, unknown>) =>
  (await fetch(`${app!.url}/api/web/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'oak-house', ...body }),
  }).then((r) => r.json())) as Reply;
const command = (user: string, text: string) => post('command', { user, text });
const view = async () =>
  (
    (await fetch(`${app!.url}/api/web/view?channel=oak-house&user=sam`).then((r) => r.json())) as {
      view: {
        episodes: { id: string; alias: string; status: string; riskLevel: string; nextDue: { rule: string } | null }[];
      };
    }
  ).view.episodes;
const textOf = (card: Reply['card']) =>
  [
    card?.title,
    ...(card?.blocks ?? []).map((b) => b.text ?? (b.fields ?? []).map((f) => `${f.label}: ${f.value}`).join(' | ')),
  ].join('\n');
const thread = async (episodeId: string) =>
  (
    (await fetch(`${app!.url}/api/web/thread/${episodeId}`).then((r) => r.json())) as {
      items: { kind: string; cardKey?: string | null; card?: Reply['card']; entry?: { text: string } }[];
    }
  ).items;
const rootOf = async (episodeId: string) => (await thread(episodeId)).find((i) => i.cardKey === 'root')!.card;
const recordOf = async (episodeId: string) =>
  (await app!.store.transaction((tx) => tx.record.list(episodeId))).map((e) => ({
    ...e,
    data: JSON.parse(e.dataJson) as Record<string, unknown>,
  }));
/** When a rule's first reminder for an episode is (or was) due, sent or not. */
const firstDue = async (episodeId: string, rule: string) => {
  const [pending, sent] = await app!.store.transaction((tx) =>
    Promise.all([tx.pings.pending(episodeId), tx.pings.sent(episodeId)]),
  );
  return [...pending, ...sent].filter((p) => p.rule === rule).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0]
    ?.dueAt;
};
const pendingRules = async (episodeId: string) =>
  (await app!.store.transaction((tx) => tx.pings.pending(episodeId))).map((p) => p.rule).sort();

/** Records AJ's return through the return form, as `/missing returned AJ` opens it. */
async function recordReturn(child: string, at: Date, indicators: string[]) {
  const opened = await command('jo', `/missing returned ${child}`);
  expect(opened.form).toBeDefined();
  const done = await post('form', {
    user: 'jo',
    value: opened.form!.value,
    values: {
      at: at.toISOString(),
      how: 'walked in',
      whereFound: 'Town centre',
      condition: 'Tired, cold',
      indicators,
    },
  });
  expect(done).toMatchObject({ ok: true });
}

describe('a child who returns and goes missing again', () => {
  it('opens a second episode at once, linked to the first, whose after-return work goes on', async () => {
    const { clock } = await start('2026-12-01T18:00:00Z'); // 18:00 in London, before night-time
    expect(await command('jo', '/missing AJ')).toMatchObject({ ok: true });
    await app!.ticker.tick();
    const [first] = await view();
    expect(first).toMatchObject({ alias: 'AJ', status: 'open', riskLevel: 'medium' });

    clock.set('2026-12-01T19:20:00Z');
    await recordReturn('AJ', clock.now(), ['injuries', 'new-possessions']);
    await app!.ticker.tick();
    // What the search left undone no longer applies; status leads with what the return asks for.
    const lapsed = (await recordOf(first!.id)).find((e) => e.kind === 'item_not_applicable')!;
    expect(lapsed.text).toMatch(/^Not applicable now the child is back: Search the building and grounds/);
    expect(lapsed).toMatchObject({ authorName: 'Jo Reid', data: { reason: 'child returned' } });
    const back = textOf((await command('sam', '/missing status AJ')).card);
    expect(back).toContain(
      'Due after the return: the return home interview (held, or refused and offered again) by Fri 4 Dec 19:20, the statutory limit; the Regulation 40 decision on telling Ofsted (reminder Tue 1 Dec 20:20); the update of the child’s risk assessment (reminder Thu 3 Dec 19:20).',
    );
    expect(back).not.toContain('Search the building');
    // Never reported (she was back within the report-after time's reminders): no one to tell of the return.
    expect(back).toMatch(/Still open \(\d+\): Tell the manager and the social worker the child is back/);
    const unreported = (await recordOf(first!.id)).find(
      (e) => e.kind === 'item_not_applicable' && e.data.reason === 'the police were not told of this episode',
    )!;
    expect(unreported.text).toBe(
      'Not applicable: Tell the police the child is back, with the time and how they are — the police were not told of this episode.',
    );
    const afterReturn = await pendingRules(first!.id);
    expect(afterReturn).toEqual(
      expect.arrayContaining(['rhi-24h', 'rhi-48h', 'rhi-66h-escalate', 'risk-assessment-update']),
    );

    // Ten minutes later she has gone again.
    clock.set('2026-12-01T19:30:00Z');
    const again = await command('jo', '/missing AJ');
    expect(again.ok).toBe(true);
    expect(textOf(again.card)).toMatch(
      /New episode opened for AJ \(2nd episode in 30 days; last returned 10 min ago, exploitation indicators recorded\)/,
    );
    expect(textOf(again.card)).toContain('Risk is high: call the police on 999 now.');
    // The police reminder of the new episode is due now, whatever the plan's 30 minutes.
    const newId = (await view()).find((e) => e.status === 'open')!.id;
    expect(await firstDue(newId, 'police-not-told')).toEqual(clock.now());
    // It goes out straight after the command, with no tick: the delivery the command asked for sends it.
    await app!.ticker.deliverNow();
    expect((await recordOf(newId)).filter((e) => e.kind === 'ping').map((e) => e.data.rule)).toContain(
      'police-not-told',
    );
    await app!.ticker.tick();

    const episodes = await view();
    expect(episodes.map((e) => [e.alias, e.status])).toEqual([
      ['AJ', 'returned'],
      ['AJ', 'open'],
    ]);
    // The list says what it holds: one child missing and one back, not "2 open episodes".
    expect((await command('sam', '/missing list')).card?.title).toBe('Oak House: 1 missing, 1 returned');
    const second = episodes[1]!;
    expect(second.id).not.toBe(first!.id);
    // Indicators seen on the return she has just come back from make the new episode high risk.
    expect(second.riskLevel).toBe('high');

    // Both records are right: the first ends with its return, the second says what history showed.
    const firstRecord = await recordOf(first!.id);
    expect(firstRecord.map((e) => e.kind)).not.toContain('episode_joined');
    expect(firstRecord.slice(-3).map((e) => e.kind)).toEqual([
      'returned',
      'item_not_applicable',
      'item_not_applicable',
    ]);
    const opened = (await recordOf(second.id)).find((e) => e.kind === 'episode_opened')!;
    expect(opened.data).toMatchObject({ previousEpisodeId: first!.id });
    expect(opened.text).toContain('repeat episode: the 2nd in 30 days');
    expect(opened.text).toContain('exploitation indicators were recorded on an earlier return');
    expect(opened.authorName).toBe('Jo Reid');
    const episode = await app!.store.transaction((tx) => tx.episodes.get(second.id));
    expect(episode).toMatchObject({ previousEpisodeId: first!.id, status: 'open' });

    // Both sets of reminders: the first episode's after-return work, the second's police report now.
    expect(await pendingRules(first!.id)).toEqual(afterReturn);
    expect(second.id).toBe(newId);
    expect(await pendingRules(second.id)).toContain('police-not-told');

    // What people see: the new root card names the history, status leads with the missing episode,
    // the handover lists both.
    const root = textOf(await rootOf(second.id));
    expect(root).toContain(
      'History: 2nd episode in 30 days; last returned 10 min ago, exploitation indicators recorded',
    );
    expect(root).toMatch(/Risk: High: .*Has gone missing again within weeks of an earlier episode/);
    const status = textOf((await command('sam', '/missing status AJ')).card);
    expect(status).toContain('Status: Open');
    expect(status).toContain('An earlier episode (returned Tue 1 Dec 19:20) is still open for its follow-ups');
    const handover = textOf((await command('sam', '/missing handover')).card);
    expect(handover.match(/AJ/g)!.length).toBeGreaterThanOrEqual(2);

    // The export by alias is of the episode she is missing in; by id, of the earlier one. Both verify.
    for (const [target, id, last] of [
      ['AJ', second.id, 'episode_opened'],
      [first!.id, first!.id, 'returned'],
    ] as const) {
      const reply = (await command('sam', `/missing export ${target}`)) as Reply & {
        files?: { name: string; url: string }[];
      };
      expect(reply.ok).toBe(true);
      const json = reply.files!.find((f) => f.name.endsWith('.json'))!;
      const doc = (await fetch(`${app!.url}${json.url}`, { method: 'POST' }).then((r) => r.json())) as {
        episode: { id: string };
        verification: { ok: boolean };
        entries: { kind: string; authorName: string }[];
      };
      expect(doc.episode.id).toBe(id);
      expect(doc.verification.ok).toBe(true);
      expect(doc.entries.map((e) => e.kind)).toContain(last);
      expect(doc.entries.find((e) => e.kind === last)!.authorName).toBe('Jo Reid');
    }

    // Joining works while she is missing: a second report joins the second episode.
    const joined = await command('sam', '/missing AJ');
    expect(textOf(joined.card)).toMatch(/AJ already has an open episode — you have joined it/);
    expect((await view()).length).toBe(2);
  });
});

describe('risk factors the record shows', () => {
  it('reports a ten-year-old missing at 23:30 as high risk at once, naming why', async () => {
    await start('2026-12-01T23:30:00Z'); // 23:30 GMT in London
    const reply = await command('jo', '/missing RY');
    expect(textOf(reply.card)).toContain('Risk is high: call the police on 999 now.');
    const [episode] = await view();
    expect(episode).toMatchObject({ alias: 'RY', riskLevel: 'high' });
    const opened = (await recordOf(episode!.id)).find((e) => e.kind === 'episode_opened')!;
    expect(opened.text).toContain('under 13: 10 years old today (date of birth on file)');
    expect(opened.text).toContain('night-time: 23:30 in Europe/London (the home counts 22:00–06:00 as night)');
    expect(opened.data).toMatchObject({ riskFactors: ['under-13', 'night-or-weather'] });
    // The plan is read for who is told: RY's does not ask for the IRO, and does not rule out parents.
    expect(opened.text).toContain('Not applicable by the child’s plan: the plan does not ask for the IRO to be told.');
    const checklist = (await app!.store.transaction((tx) => tx.episodes.get(episode!.id)))!.checklist;
    expect(checklist['tell-iro']).toMatchObject({
      status: 'not_applicable',
      reason: 'the plan does not ask for the IRO to be told',
    });
    expect(checklist['tell-parents']).toBeUndefined();
    // The police reminder is due now, not after the plan's 30 minutes, and says 999.
    expect(await firstDue(episode!.id, 'police-not-told')).toEqual(new Date('2026-12-01T23:30:00Z'));
    await app!.ticker.tick();
    const cards = (await thread(episode!.id)).map((i) => textOf(i.card)).join('\n');
    expect(cards).toMatch(/999/);
    const root = textOf(await rootOf(episode!.id));
    expect(root).toMatch(/Risk: High: Is under 13; It is night-time or the weather is extreme/);
  });

  it('works age out from the date of birth on the day, so a hand-typed "under 13" does not outlive it', async () => {
    await start('2026-12-01T15:00:00Z'); // afternoon: no night-time
    await command('jo', '/missing MK');
    const [episode] = await view();
    expect(episode).toMatchObject({ alias: 'MK', riskLevel: 'medium' });
    const opened = (await recordOf(episode!.id)).find((e) => e.kind === 'episode_opened')!;
    expect(opened.data).toMatchObject({ riskFactors: [], derivedFactors: [], setAsideFactors: ['under-13'] });
    // Not dropped without a word: the record says why the plan's factor was set aside.
    expect(opened.text).toContain(
      'Set aside: the plan’s “under 13” no longer applies: 15 years old today (date of birth on file).',
    );
  });

  it('counts the night in the home’s zone across the clock change (BST)', async () => {
    await start('2026-07-01T21:30:00Z'); // 22:30 BST
    await command('jo', '/missing AJ');
    const [episode] = await view();
    const opened = (await recordOf(episode!.id)).find((e) => e.kind === 'episode_opened')!;
    expect(opened.text).toContain('night-time: 22:30 in Europe/London');
  });
});

describe('a tick and its fact', () => {
  it('records "Update the child’s risk assessment" ticked as the risk assessment updated, once', async () => {
    const { clock } = await start('2026-12-01T10:00:00Z');
    await command('jo', '/missing AJ');
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    clock.set('2026-12-01T11:00:00Z');
    await recordReturn('AJ', clock.now(), []);
    clock.set('2026-12-01T12:00:00Z');
    const tick = { user: 'jo', action: 'tick_item', value: `${id}|update-risk-assessment` };
    expect(await post('action', tick)).toMatchObject({ ok: true });
    expect(await post('action', tick)).toMatchObject({ ok: true });
    const updated = (await recordOf(id)).filter((e) => e.kind === 'risk_assessment_updated');
    expect(updated.map((e) => [e.authorName, e.at.toISOString()])).toEqual([['Jo Reid', '2026-12-01T12:00:00.000Z']]);
    const stored = await app!.store.transaction((tx) => tx.episodes.get(id));
    expect(stored?.riskAssessmentUpdatedAt?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(stored?.checklist['update-risk-assessment']?.status).toBe('done');
  });
});

describe('statutory clocks outlive the thread', () => {
  it('refuses closure while the RHI is due, closes with follow-ups on a manager’s word, and keeps the RHI clock to its breach', async () => {
    const { clock } = await start('2026-12-01T10:00:00Z');
    await command('jo', '/missing AJ');
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    clock.set('2026-12-01T11:00:00Z');
    await recordReturn('AJ', clock.now(), []);
    expect(await post('action', { user: 'jo', action: 'tick_item', value: `${id}|tell-police-return` })).toMatchObject({
      ok: true,
    });
    expect(
      await post('form', {
        user: 'jo',
        value: `rhi|${id}|`,
        values: { status: 'offered', note: 'Booked for Thursday' },
      }),
    ).toMatchObject({ ok: true });

    // Asked to close with the interview only booked: refused, in words, with the list.
    const refused = await post('form', { user: 'jo', value: `closure|${id}|`, values: { reason: 'Back safe' } });
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('These follow-ups are still due: the return home interview');
    expect(refused.error).toContain('the update of the child’s risk assessment');
    expect(refused.error).toContain('the Regulation 40 decision on telling Ofsted');
    expect(refused.error).toContain('Close with follow-ups outstanding');

    // Chosen on purpose, with a reason: the manager approves.
    expect(
      await post('form', {
        user: 'jo',
        value: `closure|${id}|`,
        values: { reason: 'Placement move; RHI booked with the new home', withFollowUps: 'yes' },
      }),
    ).toMatchObject({ ok: true });
    const [approval] = await app!.store.transaction((tx) => tx.approvals.pendingFor(id));
    expect(await post('action', { user: 'sam', action: 'approve', value: approval!.id })).toMatchObject({ ok: true });
    await app!.ticker.tick();
    const closedEntry = (await recordOf(id)).find((e) => e.kind === 'closed')!;
    expect(closedEntry.text).toContain('Closed with follow-ups outstanding: the return home interview');
    expect(closedEntry.authorName).toBe('Sam Okafor');
    expect(await pendingRules(id)).toEqual(
      expect.arrayContaining(['rhi-24h', 'rhi-48h', 'rhi-72h-breach', 'risk-assessment-update']),
    );
    // Closed, but still in view (Home tab, list, handover) while its follow-ups are due.
    expect((await view()).map((e) => [e.id, e.status])).toEqual([[id, 'closed']]);
    expect(textOf((await command('sam', '/missing list')).card)).toContain('AJ: closed');

    // The reminders go on after closing, and 72 hours after the return the breach is recorded and
    // goes to the managers.
    clock.set('2026-12-02T11:00:00Z');
    await app!.ticker.tick();
    clock.set('2026-12-04T11:00:00Z');
    await app!.ticker.tick();
    const pings = (await recordOf(id)).filter((e) => e.kind === 'ping').map((e) => e.data.rule);
    expect(pings).toEqual(expect.arrayContaining(['rhi-24h', 'rhi-48h', 'rhi-72h-breach']));
    const breach = (await recordOf(id)).find((e) => e.data.rule === 'rhi-72h-breach')!;
    expect(breach.text).toMatch(
      /Reminder to Sam Okafor: BREACH: no return home interview was held for AJ within 72 hours/,
    );
    const direct = (
      (await fetch(`${app!.url}/api/web/view?channel=oak-house&user=sam`).then((r) => r.json())) as {
        direct: { card: { fallback: string } }[];
      }
    ).direct.map((d) => d.card.fallback);
    expect(direct.some((t) => t.includes('BREACH'))).toBe(true);

    // Held late, on the closed episode. "Held" alone is not enough: who held it, from where, and
    // what came of it are asked for, in words; by the home's own staff it is not the interview.
    const bare = await post('form', { user: 'jo', value: `rhi|${id}|`, values: { status: 'held' } });
    expect(bare.ok).toBe(false);
    expect(bare.error).toContain('Who held the interview: please fill this in for an interview that was held');
    // An interview held by an independent worker, with the child taking part, unless changed.
    const heldRhi = (change: Record<string, string>) =>
      post('form', {
        user: 'jo',
        value: `rhi|${id}|`,
        values: {
          status: 'held',
          interviewer: 'Dana Mills',
          organisation: 'Barnardo’s RHI service',
          independent: 'yes',
          tookPart: 'yes',
          sharedWithSocialWorker: 'Went to meet a friend from school; no exploitation concerns raised; sent to the SW',
          ...change,
        },
      });
    const byStaff = await heldRhi({ interviewer: 'Jo Reid', organisation: 'Oak House', independent: 'no' });
    expect(byStaff.error).toContain(
      'Independent of the home: it must be someone independent of the home, so record this talk as a note and offer one',
    );
    const absent = await heldRhi({ tookPart: 'no' });
    expect(absent.error).toContain(
      'The child took part: if the child did not take part, record the interview as declined and offer it again',
    );
    expect(await heldRhi({})).toMatchObject({ ok: true });
    const held = (await recordOf(id)).filter((e) => e.kind === 'rhi').at(-1)!;
    expect(held.text).toContain(
      'Held by Dana Mills (Barnardo’s RHI service, independent of the home); the child took part. Shared with the social worker: Went to meet a friend',
    );
    // The exported record keeps each of them, as fields.
    const exported = (await command('sam', '/missing export AJ')) as { files?: { name: string; url: string }[] };
    const json = exported.files!.find((f) => f.name.endsWith('.json'))!;
    const doc = (await (await fetch(`${app!.url}${json.url}`, { method: 'POST' })).json()) as {
      rhi: { history: { status: string; held?: Record<string, unknown> }[] };
    };
    expect(doc.rhi.history.at(-1)).toMatchObject({
      status: 'held',
      held: { interviewer: 'Dana Mills', organisation: 'Barnardo’s RHI service', independent: true, tookPart: true },
    });
    expect((await pendingRules(id)).filter((r) => r.startsWith('rhi'))).toEqual([]);

    // The Regulation 40 decision, still due, is taken on the closed episode; nothing else is.
    expect(await pendingRules(id)).toContain('reg40-decision');
    expect(
      await post('form', {
        user: 'sam',
        value: `notification|${id}|`,
        values: {
          party: 'ofsted',
          decision: 'not_required',
          reason: 'Not a serious event: back within the hour, well',
        },
      }),
    ).toMatchObject({ ok: true });
    expect(await pendingRules(id)).not.toContain('reg40-decision');
    const reg40 = (await recordOf(id)).filter((e) => e.kind === 'notification').at(-1)!;
    expect(reg40).toMatchObject({ authorName: 'Sam Okafor', data: { party: 'ofsted', decision: 'not_required' } });
    const other = await post('action', { user: 'jo', action: 'tick_item', value: `${id}|offer-keyworker` });
    expect(other).toMatchObject({ ok: false });
    expect(other.error).toMatch(/^That episode is closed/);
  });
});

describe('deciding not to report to the police', () => {
  it('waits for a manager: the item stays open and the reminder keeps coming until she agrees', async () => {
    const { clock } = await start('2026-12-01T15:00:00Z');
    await command('jo', '/missing AJ');
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    const asked = await post('form', {
      user: 'jo',
      value: `notification|${id}|`,
      values: { party: 'police', decision: 'not_required', reason: 'Whereabouts known: at her aunt’s' },
    });
    expect(asked.ok).toBe(true);
    expect(textOf(asked.card)).toContain('A manager has been asked to agree not to report to the police');
    const item = () => app!.store.transaction(async (tx) => (await tx.episodes.get(id))!.checklist['report-police']);
    expect(await item()).toBeUndefined();
    clock.set('2026-12-01T15:30:00Z');
    await app!.ticker.tick();
    expect((await recordOf(id)).filter((e) => e.data.rule === 'police-not-told')).toHaveLength(1);

    // A support worker cannot agree it; the manager can, and the decision is recorded as hers.
    const [approval] = await app!.store.transaction((tx) => tx.approvals.pendingFor(id));
    expect(await post('action', { user: 'jo', action: 'approve', value: approval!.id })).toMatchObject({ ok: false });
    expect(await item()).toBeUndefined();
    expect(await post('action', { user: 'sam', action: 'approve', value: approval!.id })).toMatchObject({ ok: true });
    expect(await item()).toMatchObject({ status: 'done' });
    const agreed = (await recordOf(id)).find((e) => e.kind === 'notification')!;
    expect(agreed).toMatchObject({
      authorName: 'Sam Okafor',
      data: { decision: 'not_required', requestedBy: 'Jo Reid' },
    });
    expect(await pendingRules(id)).not.toContain('police-not-told');
  });
});

describe('reported to the police, reference to follow', () => {
  it('takes the call without a reference, asks for the reference until it is added, and the record says both', async () => {
    const { clock } = await start('2026-12-01T15:00:00Z');
    await command('jo', '/missing AJ');
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    clock.set('2026-12-01T15:20:00Z');
    // Without the time of the call, nothing is recorded and the words say why.
    const noTime = await post('form', { user: 'jo', value: `police_report|${id}|`, values: { grade: 'medium' } });
    expect(noTime.ok).toBe(false);
    expect(noTime.error).toBe(
      'Some details don’t look right: Time of the call: please say when the police were called, the reference can follow. Nothing has been recorded yet; please check and try again.',
    );
    expect(
      await post('form', {
        user: 'jo',
        value: `police_report|${id}|`,
        values: { grade: 'medium', reportedAt: '2026-12-01T15:15:00Z' },
      }),
    ).toMatchObject({ ok: true });
    const reported = (await recordOf(id)).find((e) => e.kind === 'police_report')!;
    expect(reported.text).toBe('Reported to police at Tue 1 Dec 15:15: reference to follow, police grade medium.');
    expect(reported).toMatchObject({ authorName: 'Jo Reid', data: { reference: null, officer: null } });
    // The police item is done and its reminder stops; the root card says the reference is to come.
    expect(await pendingRules(id)).not.toContain('police-not-told');
    expect(await pendingRules(id)).toContain('police-reference-to-follow');
    await app!.ticker.tick();
    expect(textOf(await rootOf(id))).toContain('Police: Reported Tue 1 Dec 15:15, reference to follow, graded medium');
    expect(textOf((await command('sam', '/missing status AJ')).card)).toContain(
      'Police: reference to follow, graded medium',
    );

    // Half an hour after the call, the thread is asked for the reference, and again an hour on.
    clock.set('2026-12-01T15:45:00Z');
    await app!.ticker.tick();
    clock.set('2026-12-01T16:45:00Z');
    await app!.ticker.tick();
    const asks = (await recordOf(id)).filter((e) => e.data.rule === 'police-reference-to-follow');
    expect(asks).toHaveLength(2);
    expect(asks[0]!.text).toContain('AJ was reported to the police without a reference yet');

    // The reference comes: added to the same report, the call's time kept, the reminder stops.
    expect(
      await post('form', {
        user: 'sam',
        value: `police_report|${id}|`,
        values: { reference: 'CAD-7781', officer: 'PC Shah 4410', grade: 'medium' },
      }),
    ).toMatchObject({ ok: true });
    const added = (await recordOf(id)).filter((e) => e.kind === 'police_report').at(-1)!;
    expect(added.text).toBe(
      'Police reference added (call at Tue 1 Dec 15:15): reference CAD-7781, officer PC Shah 4410, police grade medium.',
    );
    expect(added.authorName).toBe('Sam Okafor');
    expect(await pendingRules(id)).not.toContain('police-reference-to-follow');
    await app!.ticker.tick();
    expect(textOf(await rootOf(id))).toContain('Police: Reported Tue 1 Dec 15:15, ref CAD-7781, PC Shah 4410');

    // The exported record shows both steps by the right people, and verifies.
    const reply = (await command('sam', '/missing export AJ')) as Reply & { files?: { name: string; url: string }[] };
    const json = reply.files!.find((f) => f.name.endsWith('.json'))!;
    const doc = (await fetch(`${app!.url}${json.url}`, { method: 'POST' }).then((r) => r.json())) as {
      verification: { ok: boolean };
      police: { reference: string; officer: string; reportedAt: { utc: string } };
      entries: { kind: string; authorName: string }[];
    };
    expect(doc.verification.ok).toBe(true);
    expect(doc.police).toMatchObject({ reference: 'CAD-7781', officer: 'PC Shah 4410' });
    expect(doc.entries.filter((e) => e.kind === 'police_report').map((e) => e.authorName)).toEqual([
      'Jo Reid',
      'Sam Okafor',
    ]);
  });
});

describe('risk that changes while the child is missing', () => {
  it('adds night-time when the night begins, once, naming why', async () => {
    const { clock } = await start('2026-12-01T21:30:00Z'); // 21:30 GMT: not night yet
    await command('jo', '/missing AJ');
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    expect((await app!.store.transaction((tx) => tx.episodes.get(id)))!.riskFactors).toEqual([]);
    clock.set('2026-12-01T22:00:05Z');
    await app!.ticker.tick();
    clock.set('2026-12-01T22:05:00Z');
    await app!.ticker.tick();
    const risks = (await recordOf(id)).filter((e) => e.kind === 'risk');
    expect(risks).toHaveLength(1);
    expect(risks[0]).toMatchObject({ authorRole: 'bot', data: { factors: ['night-or-weather'] } });
    expect(risks[0]!.text).toContain(
      'Worked out by the bot: night-time: 22:00 in Europe/London (the home counts 22:00–06:00 as night)',
    );
    expect(textOf(await rootOf(id))).toMatch(/Risk: Medium: It is night-time or the weather is extreme/);
  });

  it('asks for no second 999 call when the police grade the child as high as she already is', async () => {
    const { clock } = await start('2026-12-01T23:30:00Z');
    await command('jo', '/missing RY'); // ten years old at night: high from the start
    await app!.ticker.tick();
    const [episode] = await view();
    const id = episode!.id;
    clock.set('2026-12-01T23:34:00Z');
    expect(
      await post('form', {
        user: 'jo',
        value: `police_report|${id}|`,
        values: { reference: 'CAD-1', officer: 'PC One', grade: 'high', reportedAt: '2026-12-01T23:33:00Z' },
      }),
    ).toMatchObject({ ok: true });
    clock.set('2026-12-01T23:40:00Z');
    await app!.ticker.tick();
    const rules = (await recordOf(id)).filter((e) => e.kind === 'ping').map((e) => e.data.rule);
    expect(rules).toEqual(['police-not-told']);
    expect(await pendingRules(id)).not.toContain('high-risk-call-999');
  });
});

describe('the returns, from episodes made in the playground', () => {
  const home = (ryId?: string) =>
    homesYaml({
      id: 'oak-house',
      name: 'Oak House',
      channels: { web: 'oak-house' },
      onCall: ['sam'],
      staff: samAndJo('web'),
      children: [
        { id: 'child-aj', alias: 'AJ', dateOfBirth: '2010-05-14', authorityChildId: 'LA0042', plan: {} },
        {
          id: 'child-ry',
          alias: 'RY',
          dateOfBirth: '2016-03-10',
          ...(ryId ? { authorityChildId: ryId } : {}),
          plan: {},
        },
      ],
    });

  /** The app on this data folder with this homes file (a restart keeps the record). */
  async function startOn(dir: string, yaml: string, clock: FakeClock) {
    app = await startApp({
      env: parseEnv({ DATA_DIR: dir, PORT: '0', HOMES_FILE: writeHomesFile(dir, yaml) }),
      clock,
      logger: silentLogger,
      startTicking: false,
    });
  }
  const files = async (reply: Reply & { files?: { name: string; url: string }[] }) =>
    Promise.all(
      reply.files!.map(async (f) => ({
        name: f.name,
        text: await fetch(`${app!.url}${f.url}`, { method: 'POST' }).then((r) => r.text()),
      })),
    );

  it('writes the Missing table to the specification and Annex A apart, or says which children to fix', async () => {
    const dir = tempDir('child-returns-');
    const clock = new FakeClock(new Date('2027-03-30T18:00:00Z'));
    await startOn(dir, home(), clock);
    await command('jo', '/missing AJ');
    await command('jo', '/missing RY');
    clock.set('2027-03-30T20:00:00Z');
    await recordReturn('RY', clock.now(), []);
    // RY has no authority id: the returns are refused, naming her, and nothing is exported.
    const refused = await command('sam', '/missing returns');
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe(
      'The returns can’t be made yet, so nothing was exported: the return needs the local authority’s child identifier (`authorityChildId`) for RY. Add it to the children in the home configuration, then ask again.',
    );

    // With RY's id in the configuration, the files are made: AJ still missing at 31 March has a
    // blank end, RY's short episode a full row; the interview and where found are Annex A's.
    await app!.stop();
    await startOn(dir, home('LA0077'), clock);
    const reply = (await command('sam', '/missing returns 2026-27')) as Reply & {
      files?: { name: string; url: string }[];
    };
    expect(reply.ok).toBe(true);
    const [missing, annex] = await files(reply);
    expect(missing!.name).toBe('ssda903-missing-oak-house-2026-27.csv');
    expect(missing!.text).toBe(
      'CHILD,DOB,MISSING,MIS_START,MIS_END\r\nLA0042,14/05/2010,M,30/03/2027,\r\nLA0077,10/03/2016,M,30/03/2027,30/03/2027\r\n',
    );
    expect(missingTableProblems(missing!.text, collectionYear(2026))).toEqual([]);
    expect(annex!.text.split('\r\n')[0]).toMatch(/^CHILD,MISSING_EPISODES_12_MONTHS,/);
    expect(annex!.text).toContain('LA0077,1,0,Unknown,Unknown,30/03/2027,30/03/2027');
    expect(annex!.text).toContain('LA0042,1,0,Unknown,Unknown,30/03/2027,,');
  });
});
