// Starts a worker thread on one of the bot's TypeScript modules. Node 20 cannot start a worker
// from a .ts file itself, so the worker's first lines load it through tsx, the loader the bot runs
// under (`npm start`).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const tsxApi = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx')), 'esm/api/index.mjs'),
).href;

/** A worker running `module` (a file URL), given `workerData`. */
export function tsWorker(module: URL, workerData?: unknown): Worker {
  const url = JSON.stringify(module.href);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${url}, ${url}));`;
  return new Worker(bootstrap, { eval: true, workerData });
}
