// The drill soak: the real bot (Slack settings, SQLite) in a process of its own (run with
// --expose-gc), driven for `minutes` by a steady drill of children's lifecycles — a signed
// /missing over HTTP, messages in the thread, the return, its follow-ups and the closing, then
// missing again — with each home's
// handover and Home tab read as on-call staff would. Every minute, memory is read after a full
// garbage collection and sent to the parent over IPC ({ minute, rssMb, heapUsedMb }); at the end
// { done: true, drills }.
// Run as: node --expose-gc --import tsx scripts/bench/soak-app.ts <slackStandInUrl> <minutes>
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { slashCommand } from './ack-latency.ts';
import { aliasOf, benchHomesYaml, BOT_TOKEN, CHANNEL, SIGNING_SECRET, tempDir, users } from './support.ts';

const [apiUrl, minutesArg] = process.argv.slice(2);
const minutes = Number(minutesArg ?? 30);
if (!apiUrl || !(minutes > 0)) throw new Error('usage: soak-app.ts <apiUrl> <minutes>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Children drilled in turn (one home of them); each drill is one child's episode. */
const CHILDREN = 50;
/** Messages in each episode's thread. */
const MESSAGES = 10;
/** Pause between two steps of the drill: a busy service, not a flood. */
const STEP_MS = 40;

const dir = tempDir('soak');
fs.writeFileSync(path.join(dir, 'homes.yaml'), benchHomesYaml(CHILDREN));
const env = parseEnv({
  DATA_DIR: dir,
  HOMES_FILE: path.join(dir, 'homes.yaml'),
  PORT: '0',
  HOST: '127.0.0.1',
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: `${apiUrl}/api/`,
  INSTANCE_ID: 'bench-soak',
  LOG_LEVEL: 'warn',
});
const app = await startApp({ env, clock: systemClock, logger: createLogger({ level: env.LOG_LEVEL }) });
const pause = () => new Promise((r) => setTimeout(r, STEP_MS));
const jo = { platform: 'slack', userId: users.jo } as const;
const sam = { platform: 'slack', userId: users.sam } as const;

async function must(command: Record<string, unknown>) {
  const result = await app.engine.execute(command);
  if (!result.ok)
    throw new Error(
      `${String(command.type)} refused: ${result.error.code} ${JSON.stringify(result.error.detail ?? {})}`,
    );
  return result;
}

/** One child's episode, start to return: the person's /missing over HTTP, then the thread. */
async function drill(n: number) {
  const child = aliasOf(n % CHILDREN);
  const { body, headers } = slashCommand(apiUrl!, child);
  const ack = await fetch(`${app.url}/slack/events`, { method: 'POST', headers, body });
  if (ack.status !== 200) throw new Error(`/missing was answered ${ack.status}`);
  await pause();
  const episode = await app.store.transaction(async (tx) => {
    const found = await tx.children.findByAlias('bench-house', child);
    return found ? tx.episodes.findMissingForChild(found.id) : null;
  });
  if (!episode) throw new Error(`no episode opened for ${child}`);
  // The root card is posted by the outbox; its thread is where people write.
  for (let wait = 0; !(await app.store.transaction((tx) => tx.episodes.get(episode.id)))?.threadRef; wait++) {
    if (wait > 500) throw new Error(`the root card of ${child} was never posted`);
    await app.ticker.deliverNow();
    await pause();
  }
  const { threadRef } = (await app.store.transaction((tx) => tx.episodes.get(episode.id)))!;
  for (let m = 0; m < MESSAGES; m++) {
    await must({
      type: 'record_message',
      eventId: `Ev-soak-${n}-${m}`,
      actor: jo,
      thread: { platform: 'slack', threadRef: threadRef! },
      messageId: `${n}.${m}`,
      text: `Drill ${n}: checked the park and the bus stop on Mill Lane (${m}).`,
    });
    await pause();
  }
  await must({
    type: 'record_return',
    actor: jo,
    episodeId: episode.id,
    at: new Date().toISOString(),
    how: 'Walked in',
    whereFound: 'The home',
    condition: 'Well',
  });
  await pause();
  // Every follow-up done, then closed with the manager's approval, as a home does.
  for (const what of ['police_told_of_return', 'safe_and_well', 'risk_assessment_updated'])
    await must({ type: 'record_follow_up', actor: jo, episodeId: episode.id, what });
  await must({
    type: 'record_rhi',
    actor: jo,
    episodeId: episode.id,
    status: 'held',
    interviewer: 'Ana Lee',
    organisation: 'Independent advocacy',
    independent: 'yes',
    tookPart: 'yes',
    sharedWithSocialWorker: 'Summary sent to the social worker',
  });
  // From a child's second episode on, a care-plan review is asked for.
  if (n >= CHILDREN) await must({ type: 'tick_item', actor: jo, episodeId: episode.id, itemId: 'care-plan-review' });
  await must({
    type: 'record_notification',
    actor: jo,
    episodeId: episode.id,
    party: 'ofsted',
    decision: 'not_required',
    reason: 'Not a serious event',
  });
  await must({ type: 'request_closure', actor: jo, episodeId: episode.id, reason: 'Back safe, every follow-up done' });
  for (const approval of await app.store.transaction((tx) => tx.approvals.pendingFor(episode.id)))
    await must({ type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
  await app.queries.handoverSummary('slack', { channelRef: CHANNEL });
  await app.queries.homeViewForUser('slack', users.sam);
  await pause();
}

const started = performance.now();
const elapsedMinutes = () => (performance.now() - started) / 60_000;
let drills = 0;
let nextReport = 0;
const report = () => {
  gc();
  const m = process.memoryUsage();
  process.send?.({ minute: nextReport, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), drills });
  nextReport += 1;
};
report();
while (nextReport <= minutes) {
  await drill(drills++);
  if (elapsedMinutes() >= nextReport) report();
}
process.send?.({ done: true, drills });
await app.stop();
process.exit(0);
