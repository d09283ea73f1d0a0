// /missing acknowledgement latency through Bolt's HTTP receiver: the real bot against a bare Bolt
// app (the floor), each in its own process, loaded by autocannon from this one over loopback.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHANNEL, percentile, slackSignature, users, waitFor, type SlackStandIn } from './support.ts';
import { startNodeOptions } from '../start-options.ts';

interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: Record<string, unknown>,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface AckRow {
  connections: number;
  requests: number;
  floor: { p50: number; p99: number };
  app: { p50: number; p99: number };
  failures: number;
}

export interface Server {
  url: string;
  child: ChildProcess;
}

export async function startServer(kind: 'floor' | 'echo' | 'app', apiUrl: string): Promise<Server> {
  const file = fileURLToPath(new URL('./ack-server.ts', import.meta.url));
  const child = fork(file, [kind, apiUrl], {
    execArgv: [...startNodeOptions()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it was ready`)));
  });
  return { url, child };
}

export async function stopServer(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

let sequence = 0;
/** A signed `/missing <text>` as Slack sends it, each with its own response URL (`/commands/<n>`). */
export function slashCommand(apiUrl: string, text: string) {
  const n = ++sequence;
  const body = new URLSearchParams({
    command: '/missing',
    text,
    channel_id: CHANNEL,
    user_id: users.jo,
    team_id: 'T0BENCH',
    response_url: `${apiUrl}/commands/${n}`,
    trigger_id: `${n}.1.1`,
    api_app_id: 'A0BENCH',
    token: 'legacy',
  }).toString();
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(body) },
    answerPath: `/commands/${n}`,
  };
}

/** Sends `amount` signed /missing requests over `connections` keep-alive connections; returns latencies (ms). */
async function load(url: string, apiUrl: string, connections: number, amount: number, text: string) {
  const latencies: number[] = [];
  let failures = 0;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req: object) => {
              const { body, headers } = slashCommand(apiUrl, text);
              return { ...req, body, headers };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        failures += result.errors + result.timeouts + result.non2xx;
        resolve();
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
  });
  return { latencies, failures };
}

/** Asks the app's process to start (or stop) exporting a 10,000-entry record over and over. */
function exporting(server: Server, on: boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    server.child.once('message', (m) => resolve(m as Record<string, unknown>));
    server.child.send({ exporting: on });
  });
}

export interface ExportAckRow {
  requests: number;
  floor: { p99: number };
  app: { p99: number };
  exports: number;
  failures: number;
}

/**
 * /missing acks while the app draws 10,000-entry records back to back (exports run off the event
 * loop, so the acks should barely notice), against the bare Bolt floor under the same load.
 */
export async function measureAckDuringExport(
  standIn: SlackStandIn,
  connections = 10,
  requests = 300,
  rounds = 3,
): Promise<ExportAckRow> {
  const floor = await startServer('floor', standIn.url);
  const app = await startServer('app', standIn.url);
  try {
    await load(floor.url, standIn.url, 10, 300, 'C00001');
    const before = standIn.responses();
    await load(app.url, standIn.url, 10, 300, 'C00001');
    await waitFor(() => standIn.responses() >= before + 300, 120_000, 'the warm-up to be answered');
    await exporting(app, true);
    const f: number[] = [];
    const a: number[] = [];
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      const floorRun = await load(floor.url, standIn.url, connections, requests, 'C00001');
      const appRun = await load(app.url, standIn.url, connections, requests, 'C00001');
      f.push(...floorRun.latencies);
      a.push(...appRun.latencies);
      failures += floorRun.failures + appRun.failures;
    }
    const done = await exporting(app, false);
    return {
      requests: requests * rounds,
      floor: { p99: percentile(f, 99) },
      app: { p99: percentile(a, 99) },
      exports: Number(done.exported ?? 0),
      failures,
    };
  } finally {
    await stopServer(floor);
    await stopServer(app);
  }
}

/**
 * For each concurrency: the floor, then the real app, the same number of requests each. After the
 * app's run, waits until it has answered every command (its work runs after the ack), so the next
 * run starts on a quiet machine.
 */
export async function measureAckLatency(
  standIn: SlackStandIn,
  levels: { connections: number; requests: number }[],
  rounds = 3,
): Promise<AckRow[]> {
  const floor = await startServer('floor', standIn.url);
  const app = await startServer('app', standIn.url);
  try {
    // Warm both up (JIT, auth.test, the database file, the child's episode) before measuring.
    const warm = async (server: Server, answered: boolean) => {
      const before = standIn.responses();
      await load(server.url, standIn.url, 10, 300, 'C00001');
      if (answered) await waitFor(() => standIn.responses() >= before + 300, 120_000, 'the warm-up to be answered');
    };
    await warm(floor, false);
    await warm(app, true);
    const rows: AckRow[] = [];
    for (const { connections, requests } of levels) {
      // Rounds alternate floor and app, so a busy moment on the machine falls on both alike.
      const f: number[] = [];
      const a: number[] = [];
      let failures = 0;
      for (let round = 0; round < rounds; round++) {
        const floorRun = await load(floor.url, standIn.url, connections, requests, 'C00001');
        const before = standIn.responses();
        const appRun = await load(app.url, standIn.url, connections, requests, 'C00001');
        await waitFor(() => standIn.responses() >= before + requests, 300_000, 'the app to answer every command');
        f.push(...floorRun.latencies);
        a.push(...appRun.latencies);
        failures += floorRun.failures + appRun.failures;
      }
      rows.push({
        connections,
        requests: requests * rounds,
        floor: { p50: percentile(f, 50), p99: percentile(f, 99) },
        app: { p50: percentile(a, 50), p99: percentile(a, 99) },
        failures,
      });
    }
    return rows;
  } finally {
    await stopServer(floor);
    await stopServer(app);
  }
}
