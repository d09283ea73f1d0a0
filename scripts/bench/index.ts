// `npm run bench`: measures the bot against the quality bars in PRODUCT.md on this machine, in one
// run, loopback only, and prints a table of ratios. Every measurement has a fixed size and a time
// limit. `npm run bench -- --only=ack,load,export,logging,scheduler,handover,lookup,rss` runs a subset.
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresCluster } from '../../test/support/postgres.ts';
import { measureAckDuringExport, measureAckLatency, type AckRow } from './ack-latency.ts';
import { measureHandover, measureHomeTab } from './handover.ts';
import { measureLogging } from './logging-rate.ts';
import { highestRateAnsweredWithin, measureOpenLoop } from './open-loop.ts';
import { measureScheduler } from './scheduler.ts';
import { measureThreadLookup } from './thread-lookup.ts';
import { startSlackStandIn } from './support.ts';
import { startNodeOptions } from '../start-options.ts';

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
/** `--soak` (30 minutes) or `--soak=<minutes>`: the drill soak alone, RSS every minute. */
const soakArg = process.argv.find((a) => a === '--soak' || a.startsWith('--soak='));
const soakMinutes = soakArg ? Number(soakArg.split('=')[1] ?? 30) : null;
if (soakMinutes !== null && !(soakMinutes >= 1)) throw new Error('--soak=<minutes> takes a whole number of minutes');
const wanted = (part: string) =>
  part === 'soak' ? soakMinutes !== null : soakMinutes === null && (!only || only.includes(part));

type Row = [measure: string, bot: string, baseline: string, ratio: string, bar: string, verdict: string];
const rows: Row[] = [];
const notes: string[] = [];
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const x = (v: number) => `${v.toFixed(2)}x`;
const perSecond = (v: number) => `${Math.round(v)}/s`;
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const step = (what: string) => process.stderr.write(`bench: ${what}…\n`);

function ackRows(results: AckRow[]) {
  for (const r of results) {
    const label = `/missing ack, ${r.connections} concurrent (${r.requests} each)`;
    rows.push([`${label} p50`, ms(r.app.p50), `${ms(r.floor.p50)} floor`, x(r.app.p50 / r.floor.p50), '—', '']);
    const ratio = r.app.p99 / r.floor.p99;
    rows.push([
      `${label} p99`,
      ms(r.app.p99),
      `${ms(r.floor.p99)} floor`,
      x(ratio),
      '≤ 1.50x',
      met(ratio <= 1.5 && r.app.p99 < 3_000),
    ]);
    if (r.failures > 0) notes.push(`ack at ${r.connections} concurrent: ${r.failures} requests failed or timed out`);
  }
}

/** The raw PostgreSQL insert rate of this run's logging line, the floor of the pings line. */
let rawPostgresInserts: number | null = null;

async function loggingRows(database: string, url: string | undefined) {
  const r = await measureLogging(database, url);
  if (database === 'PostgreSQL') rawPostgresInserts = r.raw;
  rows.push([
    `thread messages logged, ${database} (${r.messages} each)`,
    perSecond(r.engine),
    `${perSecond(r.raw)} raw inserts`,
    x(r.engine / r.raw),
    '≥ 0.50x',
    met(r.engine / r.raw >= 0.5),
  ]);
  rows.push([
    `  of which the hash chain alone, ${database}`,
    perSecond(r.chain),
    `${perSecond(r.raw)} raw inserts`,
    x(r.chain / r.raw),
    '—',
    '',
  ]);
  if (r.floor !== null)
    rows.push([
      `  against the physical floor, ${database}`,
      perSecond(r.engine),
      `${perSecond(r.floor)} prepared better-sqlite3 chained inserts`,
      x(r.engine / r.floor),
      '≥ 0.25x (goal)',
      met(r.engine / r.floor >= 0.25),
    ]);
  if (!r.chainsVerify) notes.push(`logging on ${database}: a hash chain did not verify afterwards`);
}

const started = new Date();
const machine = `${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();

const standIn = await startSlackStandIn();
let cluster: PostgresCluster | null = null;
try {
  if (wanted('ack')) {
    step('/missing acknowledgement latency (real app vs bare Bolt)');
    ackRows(
      await measureAckLatency(standIn, [
        { connections: 1, requests: 300 },
        { connections: 20, requests: 600 },
        { connections: 100, requests: 1000 },
      ]),
    );
  }
  if (wanted('load')) {
    step('open-loop load: /missing arriving at 20 to 300 a second, acks and answers (about three minutes)');
    const rates = [20, 50, 100, 200, 300];
    const r = await measureOpenLoop(standIn, rates);
    for (const [i, app] of r.app.entries()) {
      const floor = r.floor[i]!;
      const ratio = app.ack.p99 / floor.ack.p99;
      const barred = app.rate === 20 || app.rate === 100 || app.rate === 300;
      rows.push([
        `/missing at ${app.rate}/s open loop (${app.sent}): ack p99`,
        ms(app.ack.p99),
        `${ms(floor.ack.p99)} floor`,
        x(ratio),
        barred ? '≤ 1.50x' : '—',
        barred ? met(ratio <= 1.5 && app.failedAcks === 0) : '',
      ]);
      const answerBar = app.rate === 100;
      rows.push([
        `/missing at ${app.rate}/s open loop: answer p99`,
        app.unanswered > 0 ? `${ms(app.answer.p99)} (${app.unanswered} unanswered)` : ms(app.answer.p99),
        `${ms(floor.answer.p99)} floor`,
        x(app.answer.p99 / floor.answer.p99),
        answerBar ? '≤ 1,000 ms' : '—',
        answerBar ? met(app.answer.p99 <= 1_000 && app.unanswered === 0) : '',
      ]);
      if (app.failedAcks + floor.failedAcks > 0)
        notes.push(`open loop at ${app.rate}/s: ${app.failedAcks} app and ${floor.failedAcks} floor acks failed`);
    }
    rows.push([
      'highest rate measured with every answer, p99 under 3 s',
      `${highestRateAnsweredWithin(r.app, 3_000)}/s`,
      `${highestRateAnsweredWithin(r.floor, 3_000)}/s floor`,
      '—',
      'reported',
      '',
    ]);
  }
  if (wanted('logging') || wanted('scheduler')) {
    try {
      step('starting a throwaway PostgreSQL');
      cluster = await startPostgres({ database: 'bench' });
    } catch (error) {
      notes.push(`PostgreSQL not measured: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  if (wanted('logging')) {
    step('thread-message logging, SQLite');
    await loggingRows('SQLite', undefined);
    if (cluster) {
      step('thread-message logging, PostgreSQL');
      await loggingRows('PostgreSQL', await cluster.createDatabase('bench_logging'));
    }
  }
  if (wanted('scheduler') && cluster) {
    step('10,000 due pings across two bot processes on PostgreSQL (about a minute or two)');
    const r = await measureScheduler(await cluster.createDatabase('bench_scheduler'), 10_000);
    const rate = r.sent / r.seconds;
    const exact = r.duplicates === 0 && r.misses === 0;
    rows.push([
      `${r.due} due pings, 2 bot processes, PostgreSQL`,
      `${r.seconds.toFixed(1)} s (${perSecond(rate)})`,
      rawPostgresInserts ? `${perSecond(rawPostgresInserts)} raw inserts` : '—',
      rawPostgresInserts ? x(rate / rawPostgresInserts) : '—',
      '0 dup, 0 missed, ≥ 0.30x',
      `${met(exact && (!rawPostgresInserts || rate / rawPostgresInserts >= 0.3))}: ${r.duplicates} dup, ${r.misses} missed`,
    ]);
    notes.push(`scheduler: sent per instance ${JSON.stringify(r.byInstance)}`);
  }
  if (wanted('export')) {
    step('/missing acknowledgements while 10,000-entry records are exported back to back');
    const r = await measureAckDuringExport(standIn);
    const ratio = r.app.p99 / r.floor.p99;
    rows.push([
      `/missing ack p99 during 10,000-entry exports (${r.requests} acks, ${r.exports} exports)`,
      ms(r.app.p99),
      `${ms(r.floor.p99)} floor`,
      x(ratio),
      '≤ 1.50x',
      met(ratio <= 1.5 && r.exports > 0),
    ]);
    if (r.failures > 0) notes.push(`ack during exports: ${r.failures} requests failed or timed out`);
  }
  if (wanted('handover')) {
    step('handover summary of a home with 50 open episodes of 1,000 entries each');
    const h = await measureHandover(50, 1_000, 30);
    rows.push([
      `handover summary, ${h.episodes} open episodes of ${h.entriesEach.toLocaleString('en-GB')} entries (p50 of ${h.runs})`,
      ms(h.p50Ms),
      '100 ms target',
      x(h.p50Ms / 100),
      '< 100 ms',
      met(h.p50Ms < 100),
    ]);
    notes.push(`handover: first call ${ms(h.firstMs)}, slowest ${ms(h.maxMs)}`);
    step('Home tab of a home with 1,000 open episodes');
    const t = await measureHomeTab(1_000, 30);
    rows.push([
      `Home tab, ${t.episodes.toLocaleString('en-GB')} open episodes (p50 of ${t.runs})`,
      ms(t.p50Ms),
      '100 ms target',
      x(t.p50Ms / 100),
      '< 100 ms',
      met(t.p50Ms < 100),
    ]);
    notes.push(`Home tab: first call ${ms(t.firstMs)}, slowest ${ms(t.maxMs)}`);
  }
  if (wanted('lookup')) {
    step('thread messages with 50,000 past episodes against one');
    const r = await measureThreadLookup();
    rows.push([
      `thread message with ${r.pastEpisodes.toLocaleString('en-GB')} past episodes (${r.messages} each)`,
      ms(r.many),
      `${ms(r.single)} with one`,
      x(r.many / r.single),
      '≤ 1.10x',
      met(r.many / r.single <= 1.1),
    ]);
  }
  if (wanted('rss')) {
    step('RSS of the real app with 1,000 open episodes (about half a minute)');
    const r = await measureRss(standIn.url, 1_000);
    rows.push([
      'RSS at start, Slack only (after GC)',
      `${r.atStart.rssMb} MB`,
      '200 MB target',
      x(r.atStart.rssMb / 200),
      '≤ 200 MB',
      met(r.atStart.rssMb <= 200),
    ]);
    rows.push([
      `RSS with ${r.episodes} open episodes (after GC)`,
      `${r.withEpisodes.rssMb} MB`,
      `${r.atStart.rssMb} MB at start`,
      x(r.withEpisodes.rssMb / r.atStart.rssMb),
      '≤ 1.30x',
      met(r.withEpisodes.rssMb / r.atStart.rssMb <= 1.3),
    ]);
    notes.push(
      `rss: heap ${r.atStart.heapUsedMb} → ${r.withEpisodes.heapUsedMb} MB; ${r.episodes} episodes opened in ${r.openSeconds.toFixed(1)} s`,
    );
  }
  if (wanted('soak')) {
    step(`the drill soak, ${soakMinutes} minutes, RSS every minute`);
    const r = await measureSoak(standIn.url, soakMinutes!);
    for (const m of r.samples)
      notes.push(`soak minute ${m.minute}: RSS ${m.rssMb} MB, heap ${m.heapUsedMb} MB, ${m.drills} drills`);
    rows.push([
      `RSS trend over the drill soak, minutes ${r.from}-${r.to} (${r.drills} drills)`,
      `${r.riseMb >= 0 ? '+' : ''}${r.riseMb.toFixed(1)} MB`,
      `${r.meanMb.toFixed(0)} MB mean`,
      x(r.riseMb / r.meanMb),
      '≤ 0.05x rise',
      met(r.riseMb / r.meanMb <= 0.05),
    ]);
  }
} finally {
  await cluster?.stop();
  await standIn.close();
}

interface SoakSample {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  drills: number;
}
/**
 * Runs the drill soak (soak-app.ts) and fits a straight line to RSS over the minutes after the
 * first fifth (start-up and warm-up): the rise is the fitted line's climb across those minutes.
 */
async function measureSoak(apiUrl: string, minutes: number) {
  const child = fork(fileURLToPath(new URL('./soak-app.ts', import.meta.url)), [apiUrl, String(minutes)], {
    execArgv: ['--expose-gc', ...startNodeOptions()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), (minutes + 10) * 60_000);
  const samples: SoakSample[] = [];
  let drills = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: SoakSample | { done: true; drills: number }) => {
        if ('done' in m) {
          drills = m.drills;
          resolve();
        } else {
          samples.push(m);
          process.stderr.write(`bench: soak minute ${m.minute}: RSS ${m.rssMb} MB (${m.drills} drills)\n`);
        }
      });
      child.once('exit', (code) => reject(new Error(`the soak exited (${code}) before it was done`)));
    });
  } finally {
    clearTimeout(limit);
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
  const kept = samples.slice(Math.floor(samples.length / 5));
  const n = kept.length;
  const meanX = kept.reduce((a, s) => a + s.minute, 0) / n;
  const meanY = kept.reduce((a, s) => a + s.rssMb, 0) / n;
  const slope =
    kept.reduce((a, s) => a + (s.minute - meanX) * (s.rssMb - meanY), 0) /
    (kept.reduce((a, s) => a + (s.minute - meanX) ** 2, 0) || 1);
  const from = kept[0]!.minute;
  const to = kept.at(-1)!.minute;
  return { samples, drills, from, to, meanMb: meanY, riseMb: slope * (to - from) };
}

interface RssReport {
  episodes: number;
  openSeconds: number;
  atStart: { rssMb: number; heapUsedMb: number };
  withEpisodes: { rssMb: number; heapUsedMb: number };
}
async function measureRss(apiUrl: string, episodes: number): Promise<RssReport> {
  const child = fork(fileURLToPath(new URL('./rss-app.ts', import.meta.url)), [apiUrl, String(episodes)], {
    execArgv: ['--expose-gc', ...startNodeOptions()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), 600_000);
  try {
    return await new Promise<RssReport>((resolve, reject) => {
      child.once('message', (m) => resolve(m as RssReport));
      child.once('exit', (code) => reject(new Error(`the RSS run exited (${code}) without a report`)));
    });
  } finally {
    clearTimeout(limit);
  }
}

const header: Row = ['measure', 'bot', 'baseline', 'ratio', 'bar', 'result'];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\nnpm run bench — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log(`machine: ${machine}; load average ${loadBefore} before, ${load()} after\n`);
console.log(line(header));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const r of rows) console.log(line(r));
if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
process.exit(0);
