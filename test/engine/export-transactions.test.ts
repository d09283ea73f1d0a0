import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import type * as RecordPdf from '../../src/reports/record-pdf.ts';
import { jo, must, openEpisode, sam, startTestBot, type TestBot } from '../support/bot.ts';

/** Transactions open right now, and what was open each time a PDF was drawn. */
const open = { now: 0, whileDrawing: [] as number[] };
vi.mock('../../src/reports/record-pdf.ts', async (original) => {
  const real = await original<typeof RecordPdf>();
  return {
    ...real,
    recordPdf: (...args: Parameters<typeof real.recordPdf>) => {
      open.whileDrawing.push(open.now);
      return real.recordPdf(...args);
    },
  };
});

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

describe('an export and the database', () => {
  it('draws its files with no transaction open, so a long record never holds up an urgent command', async () => {
    const counting: Store = {
      ...bot.store,
      transaction: async (fn) => {
        open.now += 1;
        try {
          return await bot.store.transaction(fn);
        } finally {
          open.now -= 1;
        }
      },
    };
    const engine = createEngine({ store: counting, clock: bot.clock, protocols, logger: silentLogger });
    await openEpisode(bot, 'AJ', jo);
    await must(engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
    expect(open.whileDrawing).toEqual([0]);
  });
});
