// The real bot in a process of its own, for the fault tests that kill it: startApp (Bolt over
// HTTP, engine, SQLite, ticker, outbox) with its settings from the environment the test gives it.
// Its clock starts at CLOCK_START and runs in real time from there, so a restart can begin "two
// minutes later" (past the leases a killed process left) without the test waiting for them.
// Tells the parent { url } over IPC once it is listening.
// Run as: node --import tsx test/faults/support/bot-process.ts (settings in the environment).
import { startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';

const startAt = new Date(process.env.CLOCK_START ?? '').getTime();
if (Number.isNaN(startAt)) throw new Error('CLOCK_START must be an ISO time');
const startedAt = Date.now();
const clock = { now: () => new Date(startAt + (Date.now() - startedAt)) };
const env = parseEnv(process.env);
const app = await startApp({ env, clock, logger: createLogger({ level: env.LOG_LEVEL }) });
process.send?.({ url: app.url });
