// The record path on PostgreSQL writes a thread message in one statement with no transaction
// held open (store/pg-thread-write.ts). Two instances on one database: the same event delivered to
// both is recorded once, messages sent to both at once all land in one unbroken chain, a long
// message's parts are chained in order, and a refused message writes nothing.
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { StoreUnavailable } from '../../src/ports/held-commands.ts';
import { FakeClock } from '../fakes/clock.ts';
import { aliasOf, homeChannel, instancesOnPostgres, seedHome, worker, type Instance } from '../support/instances.ts';

const T0 = new Date('2026-11-20T22:10:00Z');
const instances = instancesOnPostgres();

/** Two instances on a fresh database, and an episode of C00001 whose root card is posted. */
async function twoInstancesAndAThread() {
  const clock = new FakeClock(T0);
  const [a, b] = (await instances(clock)) as [Instance, Instance];
  await seedHome(a, 2);
  const opened = await a.engine.execute({
    type: 'open_episode',
    actor: worker,
    channel: homeChannel,
    child: aliasOf(0),
  });
  if (!opened.ok || !opened.episodeId) throw new Error('no episode');
  const episodeId = opened.episodeId;
  const threadRef = `elm-house/${episodeId}`;
  await a.store.transaction((tx) => tx.episodes.update(episodeId, { threadRef }));
  const message = (n: number, text = `Checked the park, round ${n}.`, eventId = `Ev-${n}`) => ({
    type: 'record_message',
    eventId,
    actor: worker,
    thread: { platform: 'web', threadRef },
    messageId: `m-${n}`,
    text,
  });
  const record = () => a.store.transaction((tx) => tx.record.list(episodeId));
  return { a, b, episodeId, message, record };
}

describe('thread messages on PostgreSQL, two instances', () => {
  it('records an event delivered to both at once exactly once', async () => {
    const { a, b, message, record } = await twoInstancesAndAThread();
    for (let n = 0; n < 10; n++) {
      const results = await Promise.all([a.engine.execute(message(n)), b.engine.execute(message(n))]);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.filter((r) => r.ok && r.duplicate)).toHaveLength(1);
    }
    const entries = (await record()).filter((e) => e.kind === 'message');
    expect(entries.map((e) => e.platformMessageId)).toEqual(Array.from({ length: 10 }, (_, n) => `m-${n}`));
    expect(verifyChain(await record())).toMatchObject({ ok: true });
  }, 60_000);

  it('chains messages sent to both at once into one unbroken record', async () => {
    const { a, b, message, record } = await twoInstancesAndAThread();
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? a : b).engine.execute(message(n))));
    expect(results.filter((r) => !r.ok || r.duplicate)).toEqual([]);
    const entries = await record();
    expect(entries.filter((e) => e.kind === 'message')).toHaveLength(40);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(verifyChain(entries)).toMatchObject({ ok: true });
  }, 60_000);

  it('chains a long message’s parts in order, and writes nothing for a refused one', async () => {
    const { a, message, record, episodeId } = await twoInstancesAndAThread();
    const long = 'A long account of the search, street by street. '.repeat(1_800);
    expect(await a.engine.execute(message(1, long))).toMatchObject({ ok: true });
    const parts = (await record()).filter((e) => e.platformMessageId === 'm-1');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((e) => JSON.parse(e.dataJson).part)).toEqual(parts.map((_, i) => i + 1));
    const before = await record();
    const refused = await a.engine.execute(message(2, '   '));
    expect(refused).toMatchObject({ ok: false, error: { code: 'text_empty' } });
    expect(await record()).toHaveLength(before.length);
    expect(await a.database.prisma.processedEvent.count({ where: { id: 'web:Ev-2' } })).toBe(0);
    expect(verifyChain(await record())).toMatchObject({ ok: true });
    expect(episodeId).toBeTruthy();
  }, 60_000);

  it('writes the next message of a thread in one statement, chaining after whatever else went in, and an edit or a repeat as before', async () => {
    const { a, message, record, episodeId } = await twoInstancesAndAThread();
    // Count the record path's own statements on the pool.
    const pgQuery = a.database.pgQuery!;
    let statements = 0;
    a.database.pgQuery = (query) => ((statements += 1), pgQuery(query));
    const cost = async (command: Record<string, unknown>) => {
      const before = statements;
      const result = await a.engine.execute(command);
      return { result, statements: statements - before };
    };
    expect(await cost(message(1))).toMatchObject({ result: { ok: true }, statements: 2 });
    expect(await cost(message(2))).toMatchObject({ result: { ok: true }, statements: 1 });
    // Something else goes into the record between two messages: the kept head is behind, the
    // write collides, and the message is read and chained after it.
    expect(
      await a.engine.execute({
        type: 'record_police_report',
        actor: worker,
        episodeId,
        reference: 'R-1',
        grade: 'medium',
      }),
    ).toMatchObject({ ok: true });
    expect(await cost(message(3))).toMatchObject({ result: { ok: true }, statements: 3 });
    // m-3 again under another event id: in the record once.
    expect(await cost(message(3, 'Checked the park, round 3.', 'Ev-3-again'))).toMatchObject({
      result: { ok: true, duplicate: true },
    });
    // An edit of m-3: an amendment pointing at it, not a message of its own.
    const edit = { ...message(3, 'Checked the park and the shops.', 'Ev-3-edit'), change: 'edited' };
    expect(await a.engine.execute(edit)).toMatchObject({ ok: true });
    expect(await cost(message(4))).toMatchObject({ result: { ok: true }, statements: 1 });

    const entries = await record();
    const m3 = entries.filter((e) => e.platformMessageId === 'm-3');
    expect(m3.map((e) => e.kind)).toEqual(['message', 'message_edited']);
    expect(m3[1]!.amendsEntryId).toBe(m3[0]!.id);
    expect(entries.filter((e) => e.kind === 'message').map((e) => e.platformMessageId)).toEqual([
      'm-1',
      'm-2',
      'm-3',
      'm-4',
    ]);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(verifyChain(entries)).toMatchObject({ ok: true });
  }, 60_000);

  it('holds a message that comes after the store was closed (the bot stopping), rather than dropping it', async () => {
    const { a, message } = await twoInstancesAndAThread();
    expect(await a.engine.execute(message(1))).toMatchObject({ ok: true });
    await a.store.close();
    const late = a.store.appendToThread(
      {
        eventKey: 'Ev-late',
        at: T0,
        platform: 'web',
        threadRef: 'any',
        platformMessageId: 'm-late',
        author: worker,
      },
      () => ({ entries: [], result: 'planned' }),
    );
    await expect(late).rejects.toBeInstanceOf(StoreUnavailable);
  }, 60_000);
});
