// Two bot instances on one PostgreSQL database deliver the outbox between them: each message goes
// out exactly once, and an episode's messages go out in the order they were written, even while
// an older one waits to be retried after a failure.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ports/logger.ts';
import { DeliveryError } from '../../src/ports/chat.ts';
import type { Store } from '../../src/ports/store.ts';
import { deliverOutbox } from '../../src/scheduler/deliver-outbox.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { FakeChat } from '../fakes/chat.ts';
import { FakeClock } from '../fakes/clock.ts';
import { aliasOf, homeChannel, instancesOnPostgres, seedHome, worker, type Instance } from '../support/instances.ts';

const T0 = new Date('2026-11-20T22:10:00Z');
const EPISODES = 20;
const stage1Items = ['search-building', 'call-child', 'ask-peers', 'check-room', 'confirm-last-seen', 'note-triggers'];

const instances = instancesOnPostgres();

/** A chat platform whose first update of each card fails with a rate limit (retried 30 s later). */
class FlakyChat extends FakeChat {
  private readonly refused = new Set<string>();
  override async updateMessage(threadRef: string, messageRef: string, card: Card) {
    if (!this.refused.has(messageRef)) {
      this.refused.add(messageRef);
      throw new DeliveryError('ratelimited', true, 30_000);
    }
    return super.updateMessage(threadRef, messageRef, card);
  }
}

/** Notes which instance marked which message delivered, in the order it happened. */
function noteDeliveries(instanceId: string, log: { id: number; by: string }[]) {
  return (store: Store): Store => ({
    ...store,
    async outboxDelivered(id, at, ref) {
      await store.outboxDelivered(id, at, ref);
      log.push({ id, by: instanceId });
    },
  });
}

describe('two instances delivering the outbox of one PostgreSQL', () => {
  it('deliver every message once, each episode’s in order, through failures and retries', async () => {
    const clock = new FakeClock(T0);
    const log: { id: number; by: string }[] = [];
    const [a, b] = (await instances(clock, noteDeliveries('instance-a', log), noteDeliveries('instance-b', log))) as [
      Instance,
      Instance,
    ];
    await seedHome(a, EPISODES);

    // One chat platform behind both instances. Its first few deliveries fail, and so does the first
    // update of each card: each is retried later, and the episode's younger messages must wait.
    const chat = new FlakyChat('web');
    for (let i = 0; i < 12; i++) chat.failures.push(new DeliveryError('ratelimited', true, 30_000));
    const platforms = new Map([[chat.platform, chat]]);
    const prisma = a.database.prisma;
    // Small batches, so the two instances' claims interleave (an episode has one message out at a time).
    const deliver = (i: Instance) => deliverOutbox({ store: i.store, clock, logger: silentLogger, platforms }, i.id, 5);
    const deliverAll = async () => {
      for (let round = 0; (await prisma.outboxMessage.count({ where: { status: 'pending' } })) > 0; round++) {
        expect(round).toBeLessThan(200);
        const runs = await Promise.all([deliver(a), deliver(b)]);
        // Nothing left to do until the retries fall due: move the clock on.
        if (runs.every((r) => r.delivered === 0)) clock.advanceMinutes(1);
      }
    };

    // Each episode: its root card and two checklist cards, delivered; then ticks that update one of
    // them and the episode card, each tick delivered before the next.
    const opened: string[] = [];
    for (let i = 0; i < EPISODES; i++) {
      const result = await (i % 2 ? a : b).engine.execute({
        type: 'open_episode',
        actor: worker,
        channel: homeChannel,
        child: aliasOf(i),
      });
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      opened.push(result.episodeId!);
    }
    await deliverAll();
    for (const itemId of stage1Items.slice(0, 3)) {
      for (const [i, episodeId] of opened.entries())
        expect(
          await (i % 2 ? b : a).engine.execute({ type: 'tick_item', actor: worker, episodeId, itemId }),
        ).toMatchObject({ ok: true });
      await deliverAll();
    }
    const written = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(written.length).toBeGreaterThanOrEqual(EPISODES * 6);

    // Every message once: marked sent, delivered once, and exactly as many chat deliveries.
    const rows = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(log.map((d) => d.id).sort((x, y) => x - y)).toEqual(written.map((r) => r.id));
    expect(chat.delivered).toHaveLength(written.length);
    expect(rows.filter((r) => r.attempts > 1).length).toBeGreaterThanOrEqual(EPISODES);
    // In order within each episode: a card is posted once and then updated in place, never twice.
    for (const episodeId of new Set(written.map((r) => r.episodeId))) {
      const ids = written.filter((r) => r.episodeId === episodeId).map((r) => r.id);
      expect(log.filter((d) => ids.includes(d.id)).map((d) => d.id)).toEqual(ids);
    }
    expect(chat.delivered.filter((d) => d.kind === 'root')).toHaveLength(EPISODES);
    expect(chat.delivered.filter((d) => d.kind === 'thread')).toHaveLength(EPISODES * 2);
    // Both instances took a share.
    expect(new Set(log.map((d) => d.by))).toEqual(new Set(['instance-a', 'instance-b']));
  }, 120_000);
});
