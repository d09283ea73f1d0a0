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
  let again = false;

  const tick = async (): Promise<void> => {
    // One tick at a time: a slow database must not pile ticks up. A tick asked for meanwhile
    // (new work was queued) runs once more right after, so nothing waits for the next period.
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        // Commands held while the database was unavailable go in first, in the order they came.
        const held = await engine.retryHeld();
        if (held.waiting > 0) logger.warn({ waiting: held.waiting }, 'database unavailable: commands still held');
        await engine.scheduleRiskReviews();
        const rated = await engine.rateAtNightfall();
        if (rated > 0) logger.info({ episodes: rated }, 'night began: risk re-rated');
        const handovers = await engine.runShiftHandovers();
        if (handovers > 0) logger.info({ homes: handovers }, 'shift handovers sent');
        const pings = await engine.sendDuePings(instanceId);
        if (pings.sent + pings.cancelled + pings.lost > 0)
          logger.info({ sent: pings.sent, cancelled: pings.cancelled, lost: pings.lost }, 'pings dispatched');
        for (const err of pings.failed) logger.error({ err }, 'a ping could not be sent; it will be tried again');
        const outbox = await deliver();
        if (outbox.delivered + outbox.retried + outbox.failed > 0) logger.info({ ...outbox }, 'outbox delivered');
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'scheduler tick failed; will try again next tick',
        );
      } finally {
        last = opts.now();
        running = null;
      }
      if (again) {
        again = false;
        await tick();
      }
    })();
    return running;
  };

  const task = cron.schedule(`*/${opts.everySeconds} * * * * *`, () => tick(), { noOverlap: true });
  return {
    tick,
    lastTickAt: () => last,
    async stop() {
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
  };
}
