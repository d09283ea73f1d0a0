// A server under load for the /missing acknowledgement benchmark, in a process of its own so the
// load generator does not share its event loop. Two kinds:
//   floor: a bare Bolt app over HTTPReceiver that acks /missing and does nothing else;
//   app:   the real bot (startApp: Bolt receiver, engine, SQLite, ticker, outbox) with Slack settings.
// Both are mounted the same way (Bolt's requestListener on a plain node:http server, loopback only)
// and talk to the same local Slack stand-in. Sends { url } over IPC when ready; stops on SIGTERM.
// Run as: node --import tsx scripts/bench/ack-server.ts <floor|app> <slackStandInUrl>
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { benchHomesYaml, BOT_TOKEN, SIGNING_SECRET, tempDir } from './support.ts';

const [kind, apiUrl] = process.argv.slice(2);
if ((kind !== 'floor' && kind !== 'app') || !apiUrl) throw new Error('usage: ack-server.ts <floor|app> <apiUrl>');

async function floor(): Promise<{ url: string; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: false,
    logLevel: LogLevel.WARN,
  });
  const app = new App({
    receiver,
    token: BOT_TOKEN,
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: `${apiUrl}/api/`, retryConfig: { retries: 0 } },
  });
  app.command('/missing', async ({ ack }) => {
    await ack();
  });
  const server = http.createServer((req, res) => receiver.requestListener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function realApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = tempDir('ack-app');
  fs.writeFileSync(path.join(dir, 'homes.yaml'), benchHomesYaml(50));
  const env = parseEnv({
    DATA_DIR: dir,
    HOMES_FILE: path.join(dir, 'homes.yaml'),
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${apiUrl}/api/`,
    INSTANCE_ID: 'bench',
    LOG_LEVEL: 'info',
  });
  // The production logger at its default level; stdout is discarded by the parent.
  const app = await startApp({ env, clock: systemClock, logger: createLogger({ level: env.LOG_LEVEL }) });
  return { url: `${app.url}/slack/events`, stop: () => app.stop() };
}

const server = kind === 'floor' ? await floor() : await realApp();
process.send?.({ url: server.url });
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
