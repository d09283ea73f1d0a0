import cron from 'node-cron';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../ports/logger.ts';
import type { OutboxRun } from './deliver-outbox.ts';

/**
 * The thin ticker: every few seconds it asks the engine to send due pings, then delivers the
 * outbox. All the deciding lives in the engine and the store; this only keeps time.
 */
export interface Ticker {
  /** One tick, run by hand (tests, and the first tick at start-up). */
  tick(): Promise<void>;
  /**
   * After a command: only what it may have made due now — the cards it queued, and a reminder due
   * at once ("call 999 now" for a child just rated high) — not the time-driven sweeps of a tick
   * (held commands, risk reviews, nightfall, handovers), which wait for the next period.
   */
  deliverNow(): Promise<void>;
  stop(): Promise<void>;
  /** When the last tick finished, for /healthz. */
  lastTickAt(): Date | null;
}

export function startTicker(opts: {
  engine: Engine;
  deliver: () => Promise<OutboxRun>;
  instanceId: string;
  logger: Logger;
  everySeconds: number;
  now: () => Date;
}): Ticker {
  const { engine, deliver, instanceId, logger } = opts;
  let last: Date | null = null;
  let running: Promise<void> | null = null;
  /** What was asked for while a run was going: run once more right after, the larger of them. */
  let again: 'tick' | 'deliver' | null = null;

  const sendPingsAndDeliver = async () => {
    const pings = await engine.sendDuePings(instanceId);
    if (pings.sent + pings.cancelled + pings.lost > 0)
      logger.info({ sent: pings.sent, cancelled: pings.cancelled, lost: pings.lost }, 'pings dispatched');
    for (const err of pings.failed) logger.error({ err }, 'a ping could not be sent; it will be tried again');
    const outbox = await deliver();
    if (outbox.delivered + outbox.retried + outbox.failed > 0) logger.info({ ...outbox }, 'outbox delivered');
  };

  const sweepThenDeliver = async () => {
    // Commands held while the database was unavailable go in first, in the order they came.
    const held = await engine.retryHeld();
    if (held.waiting > 0) logger.warn({ waiting: held.waiting }, 'database unavailable: commands still held');
    await engine.scheduleRiskReviews();
    const rated = await engine.rateAtNightfall();
    if (rated > 0) logger.info({ episodes: rated }, 'night began: risk re-rated');
    const handovers = await engine.runShiftHandovers();
    if (handovers > 0) logger.info({ homes: handovers }, 'shift handovers sent');
    await sendPingsAndDeliver();
  };

  const run = async (asked: 'tick' | 'deliver'): Promise<void> => {
    // A delivery when a tick is overdue (commands arriving without pause) is a whole tick, so the
    // sweeps never wait behind a stream of commands.
    const overdue = last !== null && opts.now().getTime() - last.getTime() >= opts.everySeconds * 1000;
    const kind = asked === 'deliver' && overdue ? 'tick' : asked;
    // One run at a time: a slow database must not pile runs up, and an episode's cards go out in
    // order. One asked for meanwhile (new work was queued) runs once more right after.
    if (running) {
      again = again === 'tick' || kind === 'tick' ? 'tick' : 'deliver';
      return running;
    }
    running = (async () => {
      try {
        if (kind === 'deliver') await sendPingsAndDeliver();
        else await sweepThenDeliver();
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'scheduler tick failed; will try again next tick',
        );
      } finally {
        if (kind === 'tick') last = opts.now();
        running = null;
      }
      if (again) {
        const next = again;
        again = null;
        await run(next);
      }
    })();
    return running;
  };
  const tick = () => run('tick');

  // Not awaited: while a run is going, the period's tick is queued behind it (`again`) rather than
  // skipped by node-cron's overlap guard, which would wait for a chain of deliveries to end.
  const task = cron.schedule(
    `*/${opts.everySeconds} * * * * *`,
    () => {
      void tick();
    },
    { noOverlap: true },
  );
  return {
    tick,
    deliverNow: () => run('deliver'),
    lastTickAt: () => last,
    async stop() {
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
  };
}
