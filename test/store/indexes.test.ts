import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { tempDir } from '../support/temp.ts';

// The lookups every message makes go through an index, however many past episodes there are.

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});

describe('indexes of the hot lookups', () => {
  it('finds the episode of a thread by an index, not by scanning every episode', async () => {
    const database = await openDatabase({ dataDir: tempDir('indexes-') });
    open.push(database);
    const plan = await database.prisma.$queryRawUnsafe<{ detail: string }[]>(
      `EXPLAIN QUERY PLAN SELECT "id" FROM "Episode" WHERE "platform" = 'slack' AND "threadRef" = 'C0OAK|1700000001.000100'`,
    );
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX Episode_platform_threadRef_idx/);
  });
});
