import { afterAll, describe, expect, it } from 'vitest';
import { parseHomes } from '../../src/config/homes.ts';
import { openDatabase } from '../../src/store/database.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { homesYaml, samAndJo } from '../support/homes.ts';
import { tempDir } from '../support/temp.ts';

// A local authority's fostering service can list thousands of children: the home sync at start
// must take them all, and mark those no longer listed inactive, without one parameter per child.

const CHILDREN = 5_000;
const yamlWith = (count: number) =>
  homesYaml({
    id: 'county-fostering',
    channels: { web: 'county' },
    staff: samAndJo('web'),
    children: Array.from({ length: count }, (_, i) => ({ id: `child-${i}`, alias: `C${i}`, plan: {} })),
  });

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});

describe('the home sync with a large fostering service', () => {
  it(`syncs ${CHILDREN} children, then marks the one taken off the list inactive`, { timeout: 120_000 }, async () => {
    const database = await openDatabase({ dataDir: tempDir('sync-large-') });
    open.push(database);
    await syncHomes(database, parseHomes(yamlWith(CHILDREN), 'homes.yaml', protocols));
    expect(await database.prisma.child.count({ where: { active: true } })).toBe(CHILDREN);
    await syncHomes(database, parseHomes(yamlWith(CHILDREN - 1), 'homes.yaml', protocols));
    expect(await database.prisma.child.count({ where: { active: true } })).toBe(CHILDREN - 1);
    expect(await database.prisma.child.findUnique({ where: { id: `child-${CHILDREN - 1}` } })).toMatchObject({
      active: false,
    });
  });
});
