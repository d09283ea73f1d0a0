// An open-loop load test: signed /missing commands arrive at a fixed rate whatever the server does
// (a closed loop waits for each ack before sending the next, so a slow server is sent less and
// looks better than it is). Each request is timed from the moment it was due to be sent, not from
// when it went out, so a stalled sender cannot hide a stalled server. Two times per request: the
// ack (Slack's 3-second limit) and the answer the person reads, posted to the command's response
// URL. The floor is a bare Bolt app that acks and answers at once, loaded the same way.
import http from 'node:http';
import { slashCommand, startServer, stopServer, type Server } from './ack-latency.ts';
import { percentile, type SlackStandIn } from './support.ts';

export interface OpenLoopRun {
  rate: number;
  sent: number;
  ack: { p50: number; p99: number };
  answer: { p50: number; p99: number };
  /** Requests with no 200 ack within 10 s. */
  failedAcks: number;
  /** Commands whose answer never came within the wait after the last arrival. */
  unanswered: number;
}

export interface OpenLoopResult {
  floor: OpenLoopRun[];
  app: OpenLoopRun[];
}

/** How long after the last arrival the answers are waited for. */
const ANSWER_WAIT_MS = 60_000;

/** Sends `rate` requests a second for `seconds` to `url`, each timed from when it was due. */
async function arrive(server: Server, standIn: SlackStandIn, rate: number, seconds: number): Promise<OpenLoopRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000 });
  const target = new URL(server.url);
  const total = Math.round(rate * seconds);
  const interval = 1_000 / rate;
  const acks: number[] = [];
  const due = new Map<string, number>();
  let failedAcks = 0;
  let settled = 0;
  standIn.forgetAnswers();
  const allAcked = new Promise<void>((resolve) => {
    const done = () => {
      if (++settled === total) resolve();
    };
    const fire = (at: number) => {
      const { body, headers, answerPath } = slashCommand(standIn.url, 'C00001');
      due.set(answerPath, at);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) acks.push(performance.now() - at);
            else failedAcks += 1;
            done();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => {
        failedAcks += 1;
        done();
      });
      req.end(body);
    };
    const start = performance.now() + 20;
    let sent = 0;
    const pump = () => {
      const now = performance.now();
      // Every request whose time has come goes now, however late the timer fired.
      while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
      if (sent < total) setTimeout(pump, Math.max(0, start + sent * interval - performance.now()));
    };
    pump();
  });
  await allAcked;
  const until = performance.now() + ANSWER_WAIT_MS;
  while (standIn.answeredAt.size < total && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  const answers: number[] = [];
  for (const [path, at] of due) {
    const answered = standIn.answeredAt.get(path);
    if (answered !== undefined) answers.push(answered - at);
  }
  agent.destroy();
  return {
    rate,
    sent: total,
    ack: { p50: percentile(acks, 50), p99: percentile(acks, 99) },
    answer: { p50: percentile(answers, 50), p99: percentile(answers, 99) },
    failedAcks,
    unanswered: total - answers.length,
  };
}

/**
 * For each rate, the floor then the real app, `seconds` of arrivals each; rates go up, so a
 * backlog the app cannot clear shows in its own run and the wait after it, not in the next.
 */
export async function measureOpenLoop(standIn: SlackStandIn, rates: number[], seconds = 10): Promise<OpenLoopResult> {
  const floor = await startServer('echo', standIn.url);
  const app = await startServer('app', standIn.url);
  try {
    // Warm both (JIT, the database file, the child's episode, Bolt's first auth.test).
    await arrive(floor, standIn, 50, 3);
    await arrive(app, standIn, 50, 3);
    const result: OpenLoopResult = { floor: [], app: [] };
    for (const rate of rates) {
      result.floor.push(await arrive(floor, standIn, rate, seconds));
      result.app.push(await arrive(app, standIn, rate, seconds));
    }
    return result;
  } finally {
    await stopServer(floor);
    await stopServer(app);
  }
}

/** The highest rate whose answers all came, p99 under `limitMs`; 0 if none did. */
export function highestRateAnsweredWithin(runs: OpenLoopRun[], limitMs: number): number {
  return Math.max(0, ...runs.filter((r) => r.unanswered === 0 && r.answer.p99 < limitMs).map((r) => r.rate));
}
