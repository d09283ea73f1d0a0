import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { homesYaml, samAndJo, writeHomesFile } from '../support/homes.ts';
import { tempDir } from '../support/temp.ts';

// The card at the top of an episode's thread, driven through the playground's API as the page
// drives it: after every change it must say where the episode stands now.

const homes = homesYaml({
  id: 'oak-house',
  name: 'Oak House',
  channels: { web: 'oak-house' },
  onCall: ['sam'],
  staff: samAndJo('web'),
  children: [{ id: 'child-aj', alias: 'AJ', dateOfBirth: '2010-05-14', plan: { reportAfterMinutes: 30 } }],
});

let app: App | undefined;
afterEach(() => app?.stop());

interface Card {
  title: string;
  tone: string;
  blocks: { type: string; text?: string; fields?: { label: string; value: string }[]; actions?: unknown[] }[];
}
interface Reply {
  ok: boolean;
  error?: string;
  card?: Card;
  form?: { value: string };
  episodeId?: string;
}

async function start(at: string) {
  const dir = tempDir('live-card-');
  const clock = new FakeClock(new Date(at));
  app = await startApp({
    env: parseEnv({ DATA_DIR: dir, PORT: '0', HOMES_FILE: writeHomesFile(dir, homes) }),
    clock,
    logger: silentLogger,
    startTicking: false,
  });
  return clock;
}

const post = async (path: string, body: Record<string, unknown>) =>
  (await fetch(`${app!.url}/api/web/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'oak-house', ...body }),
  }).then((r) => r.json())) as Reply;
const form = (user: string, value: string, values: Record<string, unknown>) => post('form', { user, value, values });
const items = async (episodeId: string) =>
  (
    (await fetch(`${app!.url}/api/web/thread/${episodeId}`).then((r) => r.json())) as {
      items: { kind: string; cardKey?: string | null; card?: Card }[];
    }
  ).items;

/** The episode card as the thread shows it after delivery: its fields by label, and its texts. */
async function rootCard(episodeId: string) {
  await app!.ticker.tick();
  const all = await items(episodeId);
  const roots = all.filter((i) => i.cardKey === 'root');
  expect(roots).toHaveLength(1); // one card, updated in place, never a second post
  expect(all[0]?.cardKey).toBe('root'); // and it stays at the top of the thread
  const card = roots[0]!.card!;
  const fields = Object.fromEntries(card.blocks.flatMap((b) => b.fields ?? []).map((f) => [f.label, f.value]));
  const texts = card.blocks.filter((b) => b.type === 'text').map((b) => b.text!);
  return { title: card.title, tone: card.tone, fields, texts };
}

describe('the episode card at the top of the thread', () => {
  it('follows the episode through risk, classification, last seen, police, return and closure', async () => {
    const clock = await start('2026-12-01T18:00:00Z');
    const opened = await post('command', { user: 'jo', text: '/missing AJ' });
    expect(opened.ok).toBe(true);
    const id = opened.episodeId!;

    let card = await rootCard(id);
    expect(card.title).toBe('AJ — missing from care');
    expect(card.tone).toBe('urgent');
    expect(card.fields).toMatchObject({
      Status: 'Missing for 0 min (as of Tue 1 Dec 18:00)',
      Classification: 'Missing',
      Risk: 'Medium',
      'Last seen': 'not recorded yet',
      Police: 'Not told yet: report by Tue 1 Dec 18:30',
      Opened: 'Tue 1 Dec 18:00 by Jo Reid',
    });
    expect(card.texts).toContain('Next reminder: Finish the stage 1 checks — Tue 1 Dec 18:15, for Sam Okafor.');

    // Risk raised (protective: no approval), with the factors that raised it.
    clock.set('2026-12-01T18:05:00Z');
    expect(
      await form('jo', `risk|${id}|`, {
        level: 'high',
        factors: ['risky-associates'],
        reason: 'Seen getting into a car',
      }),
    ).toMatchObject({ ok: true });
    card = await rootCard(id);
    expect(card.fields.Risk).toBe('High: Associates with adults who pose a risk');
    expect(card.fields.Status).toBe('Missing for 5 min (as of Tue 1 Dec 18:05)');
    // High risk: the police are due now, and the card says so.
    expect(card.fields.Police).toBe('Not told yet: due since Tue 1 Dec 18:00 — high risk: call 999');

    // Last seen: where, when and by whom, and the "confirm last seen" item is ticked.
    expect(
      await form('jo', `last_seen|${id}|`, {
        at: '2026-12-01T17:40:00Z',
        place: 'Bus station',
        by: 'Priya',
        clothing: '',
        withWhom: '',
      }),
    ).toMatchObject({ ok: true, card: { blocks: [{ text: expect.stringMatching(/^Thank you — recorded\./) }] } });
    card = await rootCard(id);
    expect(card.fields['Last seen']).toBe('Tue 1 Dec 17:40 at Bus station, seen by Priya');
    expect(card.fields.Status).toBe('Missing for 25 min (as of Tue 1 Dec 18:05)');
    const establish = (await items(id)).find((i) => i.cardKey === 'checklist:establish')!.card!;
    const confirm = establish.blocks.flatMap((b) => (b as { items?: { id: string; note?: string }[] }).items ?? []);
    expect(confirm.find((i) => i.id === 'confirm-last-seen')?.note).toBe('Done by Jo Reid · Tue 1 Dec 18:05');

    // Police report: the reference and grade, and "next" moves on from the police.
    clock.set('2026-12-01T18:10:00Z');
    expect(
      await form('jo', `police_report|${id}|`, { reference: 'CAD-77', officer: 'PC Evans 1234', grade: 'high' }),
    ).toMatchObject({ ok: true });
    card = await rootCard(id);
    expect(card.fields.Police).toBe('Reported Tue 1 Dec 18:10, ref CAD-77, PC Evans 1234, graded high');
    expect(card.texts.some((t) => t.startsWith('Next reminder: Report to the police'))).toBe(false);

    // Classification lowered: a downgrade, so it shows only once a manager has approved it.
    clock.set('2026-12-01T18:20:00Z');
    expect(
      await form('jo', `classify|${id}|`, { classification: 'away_without_authorisation', reason: 'Police agree' }),
    ).toMatchObject({ ok: true });
    expect((await rootCard(id)).fields.Classification).toBe('Missing');
    const pending = await app!.store.transaction((tx) => tx.approvals.pendingFor(id));
    expect(await post('action', { user: 'sam', action: 'approve', value: pending[0]!.id })).toMatchObject({
      ok: true,
    });
    card = await rootCard(id);
    expect(card.fields.Classification).toBe('Away without authorisation');
    expect(card.title).toBe('AJ — away without authorisation from care');

    // Returned: the card says so, and leads with what the return now asks for, with its deadlines.
    clock.set('2026-12-01T19:20:00Z');
    expect(
      await form('jo', `return|${id}|`, {
        at: '2026-12-01T19:15:00Z',
        how: 'walked in',
        whereFound: 'Town centre',
        condition: 'Tired',
        indicators: [],
      }),
    ).toMatchObject({ ok: true });
    card = await rootCard(id);
    expect(card.title).toBe('AJ — returned');
    expect(card.tone).toBe('warning');
    expect(card.fields.Status).toBe('Returned Tue 1 Dec 19:15 after 1 h 35 min');
    expect(card.texts[0]).toBe(
      'Due after the return: the return home interview (held, or refused and offered again) by Fri 4 Dec 19:15, the statutory limit; the Regulation 40 decision on telling Ofsted (reminder Tue 1 Dec 20:15); the police safe and well check (reminder Wed 2 Dec 19:15); the update of the child’s risk assessment (reminder Thu 3 Dec 19:15).',
    );
    expect(card.texts).toContain('Next reminder: Tell the police the child is back — Tue 1 Dec 19:45, for Sam Okafor.');

    // Closure with the follow-ups still due: closed, and the card still names what is due.
    clock.set('2026-12-01T19:30:00Z');
    await form('jo', `follow_up|${id}|`, { what: 'police_told_of_return', note: '' });
    for (const item of ['tell-manager-return', 'welfare-check', 'record-condition', 'exploitation-check'])
      await post('action', { user: 'jo', action: 'tick_item', value: `${id}|${item}` });
    await form('jo', `rhi|${id}|`, { status: 'offered', note: 'Booked with the RHI worker' });
    const asked = await form('jo', `closure|${id}|`, { reason: 'AJ is home and settled', withFollowUps: 'yes' });
    expect(asked).toMatchObject({ ok: true });
    const closure = await app!.store.transaction((tx) => tx.approvals.pendingFor(id));
    expect(await post('action', { user: 'sam', action: 'approve', value: closure[0]!.id })).toMatchObject({
      ok: true,
    });
    card = await rootCard(id);
    expect(card.title).toBe('AJ — episode closed');
    expect(card.fields.Status).toBe('Returned Tue 1 Dec 19:15 after 1 h 35 min; closed Tue 1 Dec 19:30');
    expect(card.texts[0]).toMatch(/^Due after the return: the return home interview .* by Fri 4 Dec 19:15/);
    expect(card.texts.at(-1)).toMatch(/^This episode is closed\./);
  });
});
