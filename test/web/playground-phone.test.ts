import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { artifacts, launchChromium } from '../support/browser.ts';
import { tempDir } from '../support/temp.ts';

// The playground on a phone-sized screen in real Chromium: one press is one entry however often
// it is clicked, the message box stays in reach, and forms cannot choose for the person.

let app: App;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startApp({
    env: parseEnv({ DATA_DIR: tempDir('playground-phone-'), PORT: '0', TICK_SECONDS: '1' }),
    clock: systemClock,
    logger: silentLogger,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const thread = () => page.locator('#thread-items');
const entries = async (kind: string) => {
  const [episode] = (await app.queries.homeView('web', 'oak-house'))!.episodes;
  return (await app.store.transaction((tx) => tx.record.list(episode!.id))).filter((e) => e.kind === kind);
};

describe('the playground on a 375 px screen', () => {
  it(
    'records a double-clicked Post or Submit once, keeps the message box in reach, and lets no choice be made for the person',
    {
      timeout: 120_000,
    },
    async () => {
      await page.goto(app.url);
      await expect.poll(() => page.locator('#live').textContent()).toBe('live');
      await page.getByLabel('Acting as').selectOption({ label: 'Jo Reid (support worker)' });
      await page.getByLabel(/Type a command/).fill('/missing AJ');
      await page.getByRole('button', { name: 'Send' }).dblclick();
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('Stage 1 — establish');
      expect((await app.queries.homeView('web', 'oak-house'))!.episodes).toHaveLength(1);
      expect(await entries('episode_joined')).toHaveLength(0); // the second click did not "join" it

      // The top of the thread is the episode's card, with what is due next.
      await expect.poll(() => thread().locator('article').first().textContent()).toMatch(/Next reminder: /);

      // Scrolled up to the top of a long thread, the message box is still on screen.
      // (Again if the thread is redrawn meanwhile: a card delivered live replaces the elements.)
      await expect
        .poll(() =>
          thread()
            .locator('article')
            .first()
            .scrollIntoViewIfNeeded({ timeout: 2_000 })
            .then(() => true)
            .catch(() => false),
        )
        .toBe(true);
      const box = await page.locator('#message-text').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(740);
      expect(box!.width).toBeGreaterThan(150);

      await page.locator('#message-text').fill('Checked the park by the canal.');
      await page.getByRole('button', { name: 'Post' }).dblclick();
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('Checked the park by the canal.');
      await page.waitForTimeout(500); // time for a second request, had one been sent
      expect(await entries('message')).toHaveLength(1);

      // The last-seen form: a required time with the zone named and no "leave empty" hint.
      await page.getByRole('button', { name: 'Last seen details' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      const when = dialog.locator('.field').filter({ has: page.locator('#f-at') });
      expect(await when.textContent()).toContain('In UK time (Europe/London).');
      expect((await when.textContent())!.toLowerCase()).not.toContain('empty');
      await page.locator('#f-at').fill('2026-01-15T21:40');
      await page.locator('#f-place').fill('Bus station');
      await page.locator('#form-submit').dblclick();
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
      await page.waitForTimeout(500);
      const seen = await entries('last_seen');
      expect(seen).toHaveLength(1);
      // Typed as 21:40 in January: 21:40 UK time (GMT), whatever zone the browser is in.
      expect(JSON.parse(seen[0]!.dataJson).lastSeenAt).toBe('2026-01-15T21:40:00.000Z');

      // The police grade starts with nothing chosen, and the form will not go without one.
      await page.getByRole('button', { name: 'Police report', exact: true }).click();
      await expect.poll(() => dialog.isVisible()).toBe(true);
      const grade = page.locator('#f-grade');
      expect(await grade.inputValue()).toBe('');
      expect(await grade.locator('option').first().textContent()).toBe('Choose…');
      await page.locator('#f-reference').fill('CAD-9');
      await page.locator('#f-officer').fill('PC Shah 77');
      await page.locator('#form-submit').click();
      await page.waitForTimeout(300);
      expect(await dialog.isVisible()).toBe(true);
      expect(await entries('police_report')).toHaveLength(0);
      await grade.selectOption('high');
      await page.locator('#form-submit').click();
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
      await expect.poll(async () => (await entries('police_report')).length).toBe(1);
      await expect
        .poll(() => thread().locator('article').first().textContent(), { timeout: 10_000 })
        .toContain('ref CAD-9');
      await page.screenshot({ path: path.join(artifacts, 'playground-phone.png'), fullPage: false });

      // Keyboard focus stays on the button it was on when the page redraws for someone else's change.
      const check = page.getByRole('button', { name: /^Done: Check the room/ });
      await check.focus();
      const key = await check.getAttribute('data-focus-key');
      const [episode] = (await app.queries.homeView('web', 'oak-house'))!.episodes;
      await fetch(`${app.url}/api/web/message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'sam', channel: 'oak-house', episodeId: episode!.id, text: 'On my way in.' }),
      });
      await expect.poll(() => thread().textContent(), { timeout: 10_000 }).toContain('On my way in.');
      // The focused element, read in the page (this file has no DOM types of its own).
      const focused = await page.evaluate('document.activeElement && document.activeElement.dataset.focusKey');
      expect(focused).toBe(key);
    },
  );
});
