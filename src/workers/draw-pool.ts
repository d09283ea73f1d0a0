// Exports drawn on a worker thread, so the main event loop keeps answering Slack and Teams while
// a 10,000-entry record becomes a PDF. One worker, started at the first export and kept (its
// fonts and chart libraries load once); jobs queue in order. A worker that dies fails the jobs it
// had — each asker gets its error, nothing is recorded as exported — and the next job starts a
// new one.
import type { Worker } from 'node:worker_threads';
import type { DrawJob, Drawer, Drawn } from '../engine/exports/draw-job.ts';
import { tsWorker } from './ts-worker.ts';

type Reply = { id: number; ok: true; drawn: Drawn } | { id: number; ok: false; message: string };

export interface DrawPool {
  draw: Drawer;
  /** Stops the worker (at shutdown); jobs still waiting are refused. */
  close(): Promise<void>;
}

export function drawPool(): DrawPool {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (d: Drawn) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };

  const started = (): Worker => {
    if (worker) return worker;
    const w = tsWorker(new URL('./draw-worker.ts', import.meta.url));
    w.on('message', (reply: Reply) => {
      const job = waiting.get(reply.id);
      if (!job) return;
      waiting.delete(reply.id);
      if (reply.ok) job.resolve(reply.drawn);
      else job.reject(new Error(`drawing the export failed: ${reply.message}`));
    });
    w.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error))));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`the export worker stopped (exit code ${code})`));
    });
    // An idle worker never keeps the bot running at shutdown.
    w.unref();
    worker = w;
    return w;
  };

  return {
    draw: (job: DrawJob) =>
      new Promise<Drawn>((resolve, reject) => {
        const id = (next += 1);
        const w = started();
        w.ref(); // while it has work
        const done = () => {
          if (waiting.size === 0) w.unref();
        };
        waiting.set(id, {
          resolve: (d) => (resolve(d), done()),
          reject: (e) => (reject(e), done()),
        });
        w.postMessage({ id, job });
      }),
    async close() {
      const w = worker;
      worker = null;
      failAll(new Error('the bot is stopping'));
      if (w) await w.terminate();
    },
  };
}
