// The playground's patterns view, as a manager looks at it in Chromium: the same Vega-Lite
// specification as the PDF and PNG, drawn live by Vega in the page, for the home or one child.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { startTestBot } from '../support/bot.ts';
import { artifacts, launchChromium } from '../support/browser.ts';
import { seedHistory } from '../support/patterns-history.ts';

let app: App;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // AJ's past episodes, as years of use would have left them in the database.
  const seeded = await startTestBot({ at: '2026-11-20T22:10:00Z' });
  await seedHistory(seeded.database);
  await seeded.close();
  app = await startApp({
    env: parseEnv({ DATA_DIR: seeded.dir, PORT: '0' }),
    clock: new FakeClock(new Date('2026-11-20T22:10:00Z')),
    logger: silentLogger,
    startTicking: false,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1200 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const chartText = () => page.locator('#patterns-chart svg').textContent();

it('draws the patterns charts for a manager, for the home or one child, and refuses a support worker in words', async () => {
  await page.goto(app.url);
  await page.getByLabel('Acting as').selectOption({ label: 'Sam Okafor (manager)' });
  await page.getByRole('button', { name: 'Patterns (managers)' }).click();
  await expect.poll(chartText, { timeout: 15_000 }).toContain('Missing episodes — Oak House (demo)');
  const home = (await chartText())!;
  for (const words of ['The 12 months to Fri 20 Nov 2026', 'Hour of the day', 'Episodes begun', 'Where found'])
    expect(home).toContain(words);

  await page.getByLabel('Show patterns for', { exact: true }).selectOption('AJ');
  await expect.poll(chartText, { timeout: 15_000 }).toContain('Missing episodes — AJ');
  const aj = (await chartText())!;
  expect(aj).toContain('Town centre bus station');
  // The busiest cell: two episodes began on a Friday at 19:00 (and two at 20:00).
  expect(await page.locator('#patterns-chart svg .mark-text text', { hasText: '2' }).count()).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: path.join(artifacts, 'playground-patterns.png'), fullPage: true });

  await page.getByLabel('Acting as').selectOption({ label: 'Jo Reid (support worker)' });
  await expect
    .poll(() => page.locator('#patterns-error').textContent())
    .toBe('Only a manager or deputy manager can see the patterns across episodes.');
  expect(await page.locator('#patterns-chart svg').count()).toBe(0);
}, 60_000);
