// The notification items say whom to call, from the child's plan, and, for the social worker,
// which one applies now: the social worker in the home's office hours, the emergency duty team
// outside them (read in the home's time zone).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from '../support/temp.ts';

let app: App;
const clock = new FakeClock(new Date('2026-11-20T22:10:00Z')); // a Friday night, GMT
beforeAll(async () => {
  app = await startApp({
    env: parseEnv({ DATA_DIR: tempDir('whom-to-call-'), PORT: '0' }),
    clock,
    logger: silentLogger,
    startTicking: false,
  });
});
afterAll(() => app.stop());

const post = async (route: string, body: Record<string, unknown>) =>
  (await fetch(`${app.url}/api/web/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'oak-house', ...body }),
  }).then((r) => r.json())) as { ok: boolean; episodeId?: string; error?: string };

/** The notify stage's card as the playground shows it, and the help under each open item. */
async function notifyCard(episodeId: string) {
  const { items } = (await fetch(`${app.url}/api/web/thread/${episodeId}?channel=oak-house`).then((r) => r.json())) as {
    items: { kind: string; card?: Card }[];
  };
  const card = items.find((i) => i.kind === 'card' && i.card!.title.startsWith('Stage 2'))!.card!;
  const checklist = card.blocks.find((b) => b.type === 'checklist') as Extract<
    Card['blocks'][number],
    { type: 'checklist' }
  >;
  return {
    help: Object.fromEntries(checklist.items.map((i) => [i.id, i.help ?? ''])),
    tick: (itemId: string) =>
      checklist.items.find((i) => i.id === itemId)!.actions.find((a) => a.label === 'Done')!.value,
  };
}

it('names the emergency duty team out of hours and the social worker in office hours, with the plan’s numbers', async () => {
  const opened = await post('command', { user: 'jo', text: '/missing AJ' });
  expect(opened.ok).toBe(true);
  await app.ticker.tick();
  const friday = await notifyCard(opened.episodeId!);
  expect(friday.help['tell-social-worker']).toBe(
    "Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — Demo EDT line. In office hours: call the child’s social worker — Demo social worker, placing authority children's services.",
  );
  expect(friday.help['tell-placing-authority']).toBe(
    'Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — Demo EDT line.',
  );
  // Parents' details never go to chat: a name can identify the child.
  expect(friday.help['tell-parents']).toBe(
    'Call the parents with parental responsibility (their details are in the child’s plan and the police pack, never in chat).',
  );
  // The plan does not ask for the IRO to be told: not applicable from the start, nobody to call.
  expect(friday.help['tell-iro']).toBe('');

  // Monday 10:00 (GMT): the card, brought up to date by the next tick of an item, puts the social worker first.
  clock.set('2026-11-23T10:00:00Z');
  expect((await post('action', { user: 'jo', action: 'tick_item', value: friday.tick('tell-manager') })).ok).toBe(true);
  await app.ticker.tick();
  const monday = await notifyCard(opened.episodeId!);
  expect(monday.help['tell-social-worker']).toBe(
    "In office hours (Mon–Fri 09:00–17:00): call the child’s social worker — Demo social worker, placing authority children's services. Outside them: call the emergency duty team — Demo EDT line.",
  );
  expect(monday.help['tell-placing-authority']).toBe(
    'Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — Demo EDT line.',
  );
  expect(monday.help['tell-manager']).toBe('');
});
