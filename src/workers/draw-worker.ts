// The worker thread that draws exports (see draw-pool.ts): it receives plain-data jobs, draws
// their files and sends them back, the bytes transferred rather than copied.
import { parentPort } from 'node:worker_threads';
import { drawJob, type DrawJob } from '../engine/exports/draw.ts';

if (!parentPort) throw new Error('draw-worker.ts runs as a worker thread');
const port = parentPort;

port.on('message', async ({ id, job }: { id: number; job: DrawJob }) => {
  try {
    const drawn = await drawJob(job);
    port.postMessage(
      { id, ok: true, drawn },
      drawn.files.map((f) => f.bytes.buffer as ArrayBuffer),
    );
  } catch (error) {
    port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
