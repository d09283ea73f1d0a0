// Exports drawn on a worker thread, so the main event loop keeps answering Slack and Teams while
// a 10,000-entry record becomes a PDF. One worker, started at the first export and kept (its
// fonts and chart libraries load once); jobs queue in order. A job that cannot be sent, a reply
// that cannot be read, a draw that takes too long and a worker that dies each fail the jobs
// concerned — each asker gets its error, nothing is recorded as exported — and the next job
// starts a new worker. At shutdown the jobs under way are finished first.
import type { Worker } from 'node:worker_threads';
import type { DrawJob, Drawer, Drawn } from '../engine/exports/draw-job.ts';
import { tsWorker } from './ts-worker.ts';

type Reply = { id: number; ok: true; drawn: Drawn } | { id: number; ok: false; message: string };

export interface DrawPool {
  draw: Drawer;
  /** Waits for the jobs under way (at most `waitMs`), then stops the worker; later jobs are refused. */
  close(waitMs?: number): Promise<void>;
}

/** Longer than any real export takes (a 10,000-entry record draws in seconds). */
const JOB_LIMIT_MS = 5 * 60_000;

export function drawPool(opts: { jobLimitMs?: number } = {}): DrawPool {
  const limit = opts.jobLimitMs ?? JOB_LIMIT_MS;
  let worker: Worker | null = null;
  let closed = false;
  let next = 0;
  const waiting = new Map<
    number,
    { resolve: (d: Drawn) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; on: Worker }
  >();

  const settle = (id: number, outcome: { drawn: Drawn } | { error: Error }) => {
    const job = waiting.get(id);
    if (!job) return;
    waiting.delete(id);
    clearTimeout(job.timer);
    if ('drawn' in outcome) job.resolve(outcome.drawn);
    else job.reject(outcome.error);
    if (waiting.size === 0) worker?.unref(); // an idle worker never keeps the bot running
  };
  /** Fails the jobs given to this worker (all jobs when none is named). */
  const failAll = (error: Error, on?: Worker) => {
    for (const [id, job] of [...waiting.entries()]) if (!on || job.on === on) settle(id, { error });
  };
  /** Stops this worker (a broken one); the next job starts another. */
  const discard = (w: Worker) => {
    if (worker === w) worker = null;
    void w.terminate();
  };

  const started = (): Worker => {
    if (worker) return worker;
    const w = tsWorker(new URL('./draw-worker.ts', import.meta.url));
    w.on('message', (reply: Reply) =>
      settle(
        reply.id,
        reply.ok ? { drawn: reply.drawn } : { error: new Error(`drawing the export failed: ${reply.message}`) },
      ),
    );
    w.on('messageerror', (error) => {
      failAll(new Error(`the export worker's answer could not be read: ${error.message}`), w);
      discard(w);
    });
    w.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error)), w));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`the export worker stopped (exit code ${code})`), w);
    });
    w.unref();
    worker = w;
    return w;
  };

  return {
    draw: (job: DrawJob) =>
      new Promise<Drawn>((resolve, reject) => {
        if (closed) return reject(new Error('the bot is stopping'));
        const id = (next += 1);
        const w = started();
        const timer = setTimeout(() => {
          settle(id, { error: new Error(`drawing the export took longer than ${Math.round(limit / 1000)} s`) });
          discard(w);
        }, limit);
        timer.unref();
        waiting.set(id, { resolve, reject, timer, on: w });
        w.ref(); // while it has work
        try {
          w.postMessage({ id, job });
        } catch (error) {
          settle(id, { error: new Error(`the export could not be sent to be drawn: ${(error as Error).message}`) });
        }
      }),
    async close(waitMs = 30_000) {
      closed = true;
      const under = [...waiting.values()].map(
        (job) =>
          new Promise<void>((done) => {
            const { resolve, reject } = job;
            job.resolve = (d) => (resolve(d), done());
            job.reject = (e) => (reject(e), done());
          }),
      );
      await Promise.race([Promise.all(under), new Promise((r) => setTimeout(r, waitMs).unref())]);
      failAll(new Error('the bot is stopping'));
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
