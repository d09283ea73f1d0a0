// A server under load for the /missing acknowledgement benchmark, in a process of its own so the
// load generator does not share its event loop. Two kinds:
//   floor: a bare Bolt app over HTTPReceiver that acks /missing and does nothing else;
//   echo:  the same bare app, which also answers each /missing through its response URL at once
//          (the floor of the answer people get, for the open-loop load test);
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
import { entryHash, type RecordEntry } from '../../src/domain/record.ts';
import { benchHomesYaml, BOT_TOKEN, CHANNEL, SIGNING_SECRET, tempDir, users } from './support.ts';

const [kind, apiUrl] = process.argv.slice(2);
if ((kind !== 'floor' && kind !== 'echo' && kind !== 'app') || !apiUrl)
  throw new Error('usage: ack-server.ts <floor|echo|app> <apiUrl>');

async function floor(answers: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
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
  app.command('/missing', async ({ ack, respond }) => {
    await ack();
    if (answers) await respond({ text: 'Noted.' });
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
  exportsOn(app);
  return { url: `${app.url}/slack/events`, stop: () => app.stop() };
}

/**
 * On `{ exporting: true }` from the parent: exports a 10,000-entry record over and over, as a
 * manager would ask for it, until `{ exporting: false }` (answered with how many were made), so
 * the parent can time acknowledgements while an export is being drawn.
 */
function exportsOn(app: Awaited<ReturnType<typeof startApp>>) {
  let running: Promise<void> | null = null;
  let stop = false;
  let made = 0;
  process.on('message', async (message: { exporting?: boolean }) => {
    if (message.exporting === true && !running) {
      const episodeId = await seedLongRecord(app);
      stop = false;
      running = (async () => {
        while (!stop) {
          const result = await app.engine.execute({
            type: 'export_record',
            actor: { platform: 'slack', userId: users.sam },
            target: episodeId,
            delivery: 'attachment',
          });
          if (!result.ok) throw new Error(`the export was refused: ${result.error.code}`);
          made += 1;
        }
      })();
      process.send?.({ exporting: 'started' });
    } else if (message.exporting === false && running) {
      stop = true;
      await running;
      running = null;
      process.send?.({ exported: made });
    }
  });
}

/** An episode for C00002 whose record holds 10,000 entries, chained as the engine chains them. */
async function seedLongRecord(app: Awaited<ReturnType<typeof startApp>>): Promise<string> {
  const opened = await app.engine.execute({
    type: 'open_episode',
    actor: { platform: 'slack', userId: users.jo },
    channel: { platform: 'slack', channelRef: CHANNEL },
    child: 'C00002',
  });
  if (!opened.ok || !opened.episodeId) throw new Error('could not open the long episode');
  const episodeId = opened.episodeId;
  let last = await app.store.transaction((tx) => tx.record.last(episodeId));
  if (!last) throw new Error('the long episode has no record');
  while (last.seq < 10_000) {
    // In batches, each one transaction, so the acks measured next are not waiting on this.
    last = await app.store.transaction(async (tx) => {
      let { seq, hash: prevHash } = last!;
      for (let i = 0; i < 500 && seq < 10_000; i++) {
        seq += 1;
        const unsigned: Omit<RecordEntry, 'hash'> = {
          episodeId,
          seq,
          at: new Date(Date.now() - (10_000 - seq) * 1000),
          authorStaffId: 'jo',
          authorName: 'Jo Reid',
          authorRole: 'support_worker',
          kind: 'message',
          text: `Update ${seq}: checked the park and the bus stop, no sign yet.`,
          dataJson: '{}',
          platform: 'slack',
          platformMessageId: `long-${seq}`,
          amendsEntryId: null,
          prevHash,
        };
        prevHash = entryHash(unsigned);
        await tx.record.insert({ ...unsigned, hash: prevHash });
      }
      return { seq, hash: prevHash };
    });
  }
  return episodeId;
}

const server = kind === 'app' ? await realApp() : await floor(kind === 'echo');
process.send?.({ url: server.url });
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
