// The Node options `npm start` runs the bot with, read from package.json's start script, so the
// start test and the benchmark run the bot exactly as people do (`node <options> src/main.ts`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The options between `node` and `src/main.ts` in the start script, e.g. ['--import', 'tsx']. */
export function startNodeOptions(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.ts')
    throw new Error(`package.json's start script should be "node <options> src/main.ts", not "${pkg.scripts.start}"`);
  return words.slice(1, -1);
}
