// RSS of the real bot holding 1,000 open episodes, in a process of its own (run with --expose-gc):
// the app starts with Slack settings against the parent's local stand-in, 1,000 episodes are opened
// (in 20 homes of 50 children) through its engine and their first cards delivered, a handover and a list of all of them are
// built, then memory is read once settled (see memory()). Reports over IPC.
// Run as: node --expose-gc --import tsx scripts/bench/rss-app.ts <slackStandInUrl> <episodes>
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';
import { systemClock } from '../../src/ports/clock.ts';
import {
  aliasOf,
  benchHomesYaml,
  BOT_TOKEN,
  CHILDREN_PER_HOME,
  homeOf,
  SIGNING_SECRET,
  tempDir,
  waitFor,
} from './support.ts';

const [apiUrl, count] = process.argv.slice(2);
const episodes = Number(count ?? 1000);
if (!apiUrl || !(episodes > 0)) throw new Error('usage: rss-app.ts <apiUrl> <episodes>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
/**
 * Memory once settled: a full collection, a second for V8 to hand the freed pages back to the
 * system (it does so in the background), and another collection. Read straight after a burst of
 * work, RSS still counts pages already freed: 1,000 openings read 333 MB, and 207 MB two seconds on.
 */
const memory = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gc();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
};

const dir = tempDir('rss');
fs.writeFileSync(path.join(dir, 'homes.yaml'), benchHomesYaml(episodes));
const env = parseEnv({
  DATA_DIR: dir,
  HOMES_FILE: path.join(dir, 'homes.yaml'),
  PORT: '0',
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: `${apiUrl}/api/`,
  INSTANCE_ID: 'bench-rss',
  LOG_LEVEL: 'warn',
});
const app = await startApp({ env, clock: systemClock, logger: createLogger({ level: env.LOG_LEVEL }) });
const atStart = await memory();
const start = performance.now();
for (let i = 0; i < episodes; i++) {
  const home = homeOf(i);
  const result = await app.engine.execute({
    type: 'open_episode',
    actor: { platform: 'slack', userId: home.jo.slack },
    channel: { platform: 'slack', channelRef: home.channel },
    child: aliasOf(i),
  });
  if (!result.ok) throw new Error(`open refused: ${result.error.code}`);
}
const openSeconds = (performance.now() - start) / 1000;
// Each episode's root card and its two checklists go out through the outbox.
const posted = async () =>
  ((await (await fetch(`${apiUrl}/stats`)).json()) as Record<string, number>)['chat.postMessage'] ?? 0;
await waitFor(
  async () => {
    await app.ticker.tick();
    return (await posted()) >= episodes * 3;
  },
  600_000,
  'the first cards of every episode to be delivered',
);
// What a busy moment reads across every home: each one's handover and list of episodes.
for (let k = 0; k * CHILDREN_PER_HOME < episodes; k++) {
  const { channel } = homeOf(k * CHILDREN_PER_HOME);
  if (
    !(await app.queries.handoverSummary('slack', { channelRef: channel })) ||
    !(await app.queries.listEpisodes('slack', channel))
  )
    throw new Error(`no handover or list for ${channel}`);
}
const withEpisodes = await memory();
process.send?.({ episodes, openSeconds, atStart, withEpisodes });
await app.stop();
process.exit(0);
