import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { DrawJob } from '../../src/engine/exports/draw-job.ts';
import { drawPool } from '../../src/workers/draw-pool.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from '../support/temp.ts';

// Exports are drawn on a worker thread: on this (the main) thread drawing a record's PDF fails,
// so an export that still comes back with a real PDF was drawn elsewhere, and the event loop was
// free meanwhile to answer Slack and Teams.
vi.mock('../../src/reports/record-pdf.ts', () => ({
  recordPdf: () => {
    throw new Error('a record was drawn on the main thread');
  },
}));

/** The returns of a home with no episodes: two CSV files with their headings. */
const emptyReturns: DrawJob = {
  kind: 'returns',
  home: { id: 'oak-house', name: 'Oak House', timeZone: 'Europe/London' } as never,
  year: { label: '2026-27', startYear: 2026, from: '2026-04-01', to: '2027-03-31' },
  inYear: [],
  inAnnex: [],
  asOf: new Date('2026-12-03T12:00:00Z'),
  asOfDate: '2026-12-03',
};

let app: App;
beforeAll(async () => {
  app = await startApp({
    env: parseEnv({ DATA_DIR: tempDir('draw-pool-'), PORT: '0' }),
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
    body: JSON.stringify({ channel: 'oak-house', user, text }),
  }).then((r) => r.json())) as { ok: boolean; files?: { name: string; url: string }[]; error?: string };

describe('exports on a worker thread', () => {
  it('draws the record’s PDF off the main thread', async () => {
    expect(await command('jo', '/missing AJ')).toMatchObject({ ok: true });
    const exported = await command('sam', '/missing export AJ');
    expect(exported, exported.error).toMatchObject({ ok: true });
    const pdf = exported.files!.find((f) => f.name.endsWith('.pdf'))!;
    const bytes = new Uint8Array(await (await fetch(`${app.url}${pdf.url}`, { method: 'POST' })).arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  });

  it('refuses a job that cannot be sent, finishes what is under way at shutdown, and then takes no more', async () => {
    const pool = drawPool();
    await expect(pool.draw({ kind: 'record', input: { notCloneable: () => 1 } as never })).rejects.toThrow(
      /^the export could not be sent to be drawn: /,
    );
    const underWay = pool.draw(emptyReturns);
    await pool.close();
    expect((await underWay).files).toHaveLength(2);
    await expect(pool.draw(emptyReturns)).rejects.toThrow('the bot is stopping');
  });

  it('refuses a job that cannot be drawn with its reason, and goes on drawing the next', async () => {
    const pool = drawPool();
    try {
      await expect(pool.draw({ kind: 'police_pack', input: {} as never })).rejects.toThrow(
        /^drawing the export failed: /,
      );
      const drawn = await pool.draw(emptyReturns);
      expect(drawn.files.map((f) => f.name)).toEqual([
        'ssda903-missing-oak-house-2026-27.csv',
        'annex-a-missing-oak-house-2026-12-03.csv',
      ]);
      expect(new TextDecoder().decode(drawn.files[0]!.bytes)).toBe('CHILD,DOB,MISSING,MIS_START,MIS_END\r\n');
    } finally {
      await pool.close();
    }
  });
});
