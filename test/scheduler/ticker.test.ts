import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { startTicker } from '../../src/scheduler/ticker.ts';

// What runs when: a tick does the time-driven sweeps, then the due pings and the outbox; after a
// command only the pings due now and the outbox go, so an answer is not held up by sweeps.
function recorder(now: () => Date = () => new Date()) {
  const calls: string[] = [];
  let release: (() => void) | null = null;
  // The first step of all waits until the test releases it, so runs can be asked for meanwhile.
  const step = (name: string, value: unknown) => async () => {
    calls.push(name);
    if (release === null) await new Promise<void>((r) => (release = r));
    return value;
  };
  const engine = {
    retryHeld: step('sweep:held', { waiting: 0 }),
    scheduleRiskReviews: step('sweep:reviews', 0),
    rateAtNightfall: step('sweep:nightfall', 0),
    runShiftHandovers: step('sweep:handovers', 0),
    sendDuePings: step('pings', { sent: 0, cancelled: 0, lost: 0, failed: [] }),
  } as unknown as Engine;
  const deliver = step('outbox', { delivered: 0, retried: 0, failed: 0, waiting: 0 }) as never;
  const ticker = startTicker({
    engine,
    deliver,
    instanceId: 'i',
    logger: silentLogger,
    everySeconds: 30,
    now,
  });
  return { calls, ticker, unblock: () => (release as (() => void) | null)?.() };
}

/** What a delivery runs, and what a whole tick runs, in order. */
const DELIVERY = ['pings', 'outbox'];
const TICK = ['sweep:held', 'sweep:reviews', 'sweep:nightfall', 'sweep:handovers', ...DELIVERY];

describe('the ticker', () => {
  it('after a command sends only the pings due now and the outbox', async () => {
    const { calls, ticker, unblock } = recorder();
    const first = ticker.tick(); // held at its first sweep until released
    unblock();
    await first;
    calls.length = 0;
    await ticker.deliverNow();
    expect(calls).toEqual(DELIVERY);
    await ticker.stop();
  });

  it('runs a tick asked for during a delivery right after it, sweeps and all', async () => {
    const { calls, ticker, unblock } = recorder();
    const delivery = ticker.deliverNow(); // held at its first step
    const tick = ticker.tick();
    unblock();
    await Promise.all([delivery, tick]);
    expect(calls).toEqual([...DELIVERY, ...TICK]);
    await ticker.stop();
  });

  it('makes a delivery a whole tick once a tick is overdue, so a stream of commands never starves the sweeps', async () => {
    let at = new Date('2026-12-01T10:00:00Z');
    const { calls, ticker, unblock } = recorder(() => at);
    const first = ticker.tick();
    unblock();
    await first;
    calls.length = 0;
    at = new Date('2026-12-01T10:00:10Z');
    await ticker.deliverNow(); // 10 s after a tick: the cards only
    at = new Date('2026-12-01T10:00:31Z');
    await ticker.deliverNow(); // the 30-second tick is overdue: everything
    expect(calls).toEqual([...DELIVERY, ...TICK]);
    await ticker.stop();
  });

  it('runs a delivery asked for during a tick once, right after it, and never two at once', async () => {
    const { calls, ticker, unblock } = recorder();
    const tick = ticker.tick();
    const a = ticker.deliverNow();
    const b = ticker.deliverNow();
    unblock();
    await Promise.all([tick, a, b]);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([...TICK, ...DELIVERY]);
    await ticker.stop();
  });
});
