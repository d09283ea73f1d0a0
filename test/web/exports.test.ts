import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from '../support/temp.ts';

let app: App;
beforeAll(async () => {
  const dir = tempDir('web-exports-');
  app = await startApp({
    env: parseEnv({ DATA_DIR: dir, PORT: '0' }),
    clock: new FakeClock(new Date('2026-11-20T22:10:00Z')),
    logger: silentLogger,
    startTicking: false,
  });
});
afterAll(() => app.stop());

const command = async (user: string, text: string) =>
  (await fetch(`${app.url}/api/web/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, channel: 'oak-house', text }),
  }).then((r) => r.json())) as {
    ok: boolean;
    error?: string;
    card?: { blocks: { text?: string }[] };
    files?: { name: string; url: string; expiresAt: string }[];
  };

describe('exports in the playground', () => {
  it('gives the requester one-time download links that only their answer carries', async () => {
    expect((await command('jo', '/missing AJ')).ok).toBe(true);
    const reply = await command('sam', '/missing export AJ');
    expect(reply.ok).toBe(true);
    expect(reply.files!.map((f) => f.name)).toEqual([
      expect.stringMatching(/\.pdf$/),
      expect.stringMatching(/\.json$/),
    ]);
    expect(reply.card!.blocks.at(-1)!.text).toMatch(/Each link works once, for 30 minutes/);
    const url = `${app.url}${reply.files![0]!.url}`;

    // Nothing in anyone's view of the home leads to the files.
    const view = await fetch(`${app.url}/api/web/view?channel=oak-house&user=jo`).then((r) => r.text());
    expect(view).not.toContain(reply.files![0]!.url);

    // Opening the link (or a link preview fetching it) shows a button and does not use it up.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const file = await fetch(url, { method: 'POST' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="record-AJ-.*\.pdf"$/);
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const again = await fetch(url, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used or has expired');
  });

  it('tells a support worker kindly that only managers export, and gives no links', async () => {
    const reply = await command('priya', '/missing export AJ');
    expect(reply).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Only a manager or deputy manager can export/),
    });
    expect(reply.files).toBeUndefined();
  });

  it('answers a guessed or malformed link like a used one', async () => {
    expect((await fetch(`${app.url}/exports/${'A'.repeat(43)}`, { method: 'POST' })).status).toBe(410);
    expect((await fetch(`${app.url}/exports/../api/web/view`, { method: 'POST' })).status).not.toBe(200);
  });
});
