import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { verifyChain } from '../../src/domain/record.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { artifacts, launchChromium } from '../support/browser.ts';
import { tempDir } from '../support/temp.ts';

// Real headless Chromium (Debian's, installed by .ci/run) against the real app on loopback.

let app: App;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const dir = tempDir('playground-');
  app = await startApp({
    env: parseEnv({ DATA_DIR: dir, PORT: '0', TICK_SECONDS: '1' }),
    clock: systemClock,
    logger: silentLogger,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(artifacts, `playground-${name}.png`), fullPage: true });

const people: Record<string, string> = { 'Jo Reid': 'Jo Reid (support worker)', 'Sam Okafor': 'Sam Okafor (manager)' };
async function actAs(name: string) {
  await page.getByLabel('Acting as').selectOption({ label: people[name]! });
}

async function command(text: string) {
  await page.getByLabel(/Type a command/).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Fills the open form by its labels and submits it. */
async function submitForm(values: Record<string, string>, selects: Record<string, string> = {}) {
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  for (const [label, value] of Object.entries(values))
    await dialog.getByLabel(label, { exact: false }).first().fill(value);
  for (const [label, value] of Object.entries(selects))
    await dialog.getByLabel(label, { exact: false }).first().selectOption(value);
  await dialog.locator('#form-submit').click();
  // If the form stays open, say why (the error the person would read).
  await expect
    .poll(async () =>
      (await dialog.isVisible()) ? `still open: ${await dialog.locator('#form-error').textContent()}` : 'closed',
    )
    .toBe('closed');
}

const thread = () => page.locator('#thread-items');
const privately = () => page.locator('#private');

describe('the local playground', () => {
  it(
    'runs a whole episode in the browser, with the record showing every step by the right people',
    { timeout: 120_000 },
    async () => {
      await page.goto(app.url);
      await expect.poll(() => page.locator('#home-name').textContent()).toBe('Oak House (demo)');
      await expect.poll(() => page.locator('#live').textContent()).toBe('live');
      await shot('1-empty');

      await actAs('Jo Reid');
      await command('/missing AJ');
      await expect.poll(() => privately().textContent()).toContain('Episode opened for AJ');
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('Stage 1 — establish');
      await shot('2-opened');
      const episodeId = (await app.queries.homeView('web', 'oak-house'))!.episodes[0]!.id;

      // Tick a stage 1 item by keyboard: the buttons are reachable and labelled.
      const done = page.getByRole('button', { name: /^Done: Search the building/ });
      await done.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toMatch(/5 open/);

      await page.getByLabel(/Write in the thread/).fill('Checked the garden and the shed, nothing there.');
      await page.getByRole('button', { name: 'Post' }).click();
      await expect.poll(() => thread().textContent()).toContain('Checked the garden and the shed');

      await page.getByRole('button', { name: 'Police report', exact: true }).click();
      await submitForm(
        { 'Police reference': 'CAD-4321', 'Officer (name and number)': 'PC Evans 1234' },
        { 'Police risk grade': 'medium' },
      );
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('reference CAD-4321');
      await shot('3-police');

      await command('/missing returned AJ');
      // Now in the home's zone, to the minute, as a person would type it in the time field.
      const nowLocal = format(new TZDate(new Date(), 'Europe/London'), "yyyy-MM-dd'T'HH:mm");
      await submitForm({
        'Time of return': nowLocal,
        'How (walked in': 'Walked in',
        'Where found': 'Front door',
        'Condition on return': 'Cold, no injuries',
      });
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('On return');
      await page.getByRole('button', { name: 'Police told / safe and well / risk assessment' }).click();
      await submitForm({}, { 'What happened': 'police_told_of_return' });
      await page.getByRole('button', { name: 'Return home interview', exact: true }).click();
      await submitForm({ 'Notes (who, when booked)': 'Booked with the independent service' }, { Status: 'offered' });
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('Return home interview offered');

      // A support worker asks to close and tries to approve it herself: refused.
      await page.getByRole('button', { name: 'Ask to close the episode' }).click();
      await submitForm({ 'Why it can be closed': 'Back safe, RHI booked' }, { 'If follow-ups are still due': 'yes' });
      await expect
        .poll(() => thread().textContent(), { timeout: 10_000 })
        .toContain('Approval needed: Close the episode');
      await thread().getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.poll(() => privately().textContent()).toContain('Only a manager or deputy manager can approve');
      await shot('4-refused');

      // The manager approves.
      await actAs('Sam Okafor');
      await thread().getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('Episode closed by Sam Okafor');
      await shot('5-closed');

      expect((await app.store.transaction((tx) => tx.episodes.get(episodeId)))?.status).toBe('closed');
      const entries = await app.store.transaction((tx) => tx.record.list(episodeId));
      expect(verifyChain(entries).ok).toBe(true);
      const steps = entries.filter((e) => e.kind !== 'ping').map((e) => `${e.kind} by ${e.authorName}`);
      expect(steps).toEqual([
        'episode_opened by Jo Reid',
        'item_done by Jo Reid',
        'message by Jo Reid',
        'police_report by Jo Reid',
        'returned by Jo Reid',
        'item_not_applicable by Jo Reid',
        'police_told_of_return by Jo Reid',
        'rhi by Jo Reid',
        'approval_requested by Jo Reid',
        'approval_refused by Jo Reid',
        'approval_decided by Sam Okafor',
        'closed by Sam Okafor',
      ]);
    },
  );

  it('runs a drill on a fast clock without touching a real episode’s schedule', { timeout: 120_000 }, async () => {
    await page.goto(app.url);
    await actAs('Jo Reid');
    await command('/missing BT'); // a real episode, on the real clock
    await expect.poll(() => privately().textContent()).toContain('Episode opened for BT');
    await page.getByLabel('New episodes').selectOption('600'); // 1 minute = 0.1 second
    await command('/missing AJ');
    // AJ's first episode (closed, its follow-ups still due) said "opened" too: wait for the drill itself.
    const drillOpen = async () =>
      (await app.queries.homeView('web', 'oak-house'))!.episodes.some((e) => e.alias === 'AJ' && e.status === 'open');
    await expect.poll(drillOpen, { timeout: 10_000 }).toBe(true);
    const view = (await app.queries.homeView('web', 'oak-house'))!;
    const drill = view.episodes.find((e) => e.alias === 'AJ' && e.status === 'open')!;
    const real = view.episodes.find((e) => e.alias === 'BT')!;
    expect(drill.isDrill).toBe(true);
    expect(real.isDrill).toBe(false);

    // Stage 1's 15-minute reminder comes after 1.5 seconds of drill time.
    await expect
      .poll(async () => (await app.store.transaction((tx) => tx.record.list(drill.id))).map((e) => e.text).join('\n'), {
        timeout: 20_000,
      })
      .toMatch(/\[DRILL\] Reminder to .*stage 1 checks/);
    await page.getByRole('button', { name: /^\[DRILL\] AJ/ }).click();
    await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('[DRILL] Reminder for');
    await shot('6-drill');

    const record = await app.store.transaction((tx) => tx.record.list(drill.id));
    expect(record[0]!.text).toContain('as a DRILL');
    // The real episode's reminders stay on the real clock: its stage 1 reminder is 15 minutes away.
    const realPings = await app.store.transaction((tx) => tx.pings.pending(real.id));
    const stage1 = realPings.find((p) => p.rule === 'stage-1-open')!;
    expect(stage1.dueAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(
      (await app.store.transaction((tx) => tx.record.list(real.id))).some(
        (e) => e.kind === 'ping' && e.text.includes('stage 1'),
      ),
    ).toBe(false);
  });
});
