import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeOptions } from '../scripts/start-options.ts';
import { tempDir } from './support/temp.ts';

// Starts the bot exactly as a newcomer does (`npm start`'s command, settings in the environment) and
// talks to it over HTTP. Timeouts are generous: the machine is shared and start-up migrates a
// fresh database.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const startTimeoutMs = 90_000;
const stopTimeoutMs = 30_000;

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

interface Running {
  child: ChildProcess;
  logs: LogLine[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let running: Running | undefined;

afterEach(async () => {
  const current = running;
  running = undefined;
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    // The child leads its own process group (detached), so this reaches anything it started too.
    try {
      process.kill(-current.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await current.exited;
  }
});

/** A port nothing is listening on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Runs `node <npm start's options> src/main.ts` with only the settings given (no inherited credentials or database). */
function start(settings: Record<string, string>): Running {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
    // Set, and blank, so neither the parent's environment nor a stray .env can turn them on.
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    BOT_ID: '',
    DATABASE_URL: '',
    ...settings,
  };
  const child = spawn(process.execPath, [...startNodeOptions(), 'src/main.ts'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const logs: LogLine[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line (the test asserts on the lines it needs).
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  running = { child, logs, stdout: () => out, stderr: () => err, exited };
  return running;
}

/** Waits for a log line, failing early (with the output) if the process exits first. */
async function waitForLog(bot: Running, msg: string, timeoutMs = startTimeoutMs): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void bot.exited.then(() => (exited = true));
  for (;;) {
    const line = bot.logs.find((l) => l.msg === msg);
    if (line) return line;
    if (exited || Date.now() > deadline)
      throw new Error(
        `no "${msg}" log line (${exited ? 'the process exited' : 'timed out'})\nstdout:\n${bot.stdout()}\nstderr:\n${bot.stderr()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('starting the bot as npm start does', () => {
  it(
    'starts on a fresh data folder, answers /healthz, says why the chat adapters are off, and stops cleanly on SIGTERM',
    async () => {
      const dataDir = path.join(tempDir(), 'data');
      const port = await freePort();
      const bot = start({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });

      const started = await waitForLog(bot, 'missing-episode bot started');
      expect(started).toMatchObject({ level: 30, url: `http://127.0.0.1:${port}`, database: `SQLite in ${dataDir}` });

      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });

      // The database was created and migrated in the data folder, which did not exist before.
      const dbFile = path.join(dataDir, 'missing-bot.db');
      expect(fs.existsSync(dbFile)).toBe(true);
      expect(fs.statSync(dbFile).size).toBeGreaterThan(0);

      const adapters = Object.fromEntries(
        bot.logs.filter((l) => typeof l.adapter === 'string').map((l) => [l.adapter as string, l]),
      );
      expect(adapters.slack).toMatchObject({
        enabled: false,
        msg: 'slack: disabled — SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set',
      });
      expect(adapters.teams).toMatchObject({ enabled: false, msg: 'teams: disabled — BOT_ID is not set' });

      const unknown = await fetch(`http://127.0.0.1:${port}/no-such-page`);
      expect(unknown.status).toBe(404);

      process.kill(bot.child.pid!, 'SIGTERM');
      expect(await within(bot.exited, stopTimeoutMs, 'stopping')).toEqual({ code: 0, signal: null });
      expect(bot.logs.some((l) => l.msg === 'stopping' && l.signal === 'SIGTERM')).toBe(true);
      expect(bot.stderr()).toBe('');
      // Once stopped, nothing listens on the port any more.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    },
    startTimeoutMs + stopTimeoutMs + 30_000,
  );

  it(
    'refuses to start with an invalid home configuration, exiting 1 and naming the field',
    async () => {
      const dir = tempDir();
      const homesFile = path.join(dir, 'homes.yaml');
      fs.writeFileSync(
        homesFile,
        [
          'homes:',
          '  - id: elm-lodge',
          '    name: Elm Lodge',
          '    timeZone: Europe/Lodnon',
          '    staff:',
          '      - { id: ruth, name: Ruth Bell, role: manager }',
          '',
        ].join('\n'),
      );
      const port = await freePort();
      const bot = start({
        DATA_DIR: path.join(dir, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        HOMES_FILE: homesFile,
      });

      expect(await within(bot.exited, startTimeoutMs, 'exiting')).toEqual({ code: 1, signal: null });
      expect(bot.stderr()).toContain(`The home configuration ${homesFile} is not valid`);
      expect(bot.stderr()).toContain('homes[0].timeZone: is not an IANA time zone');
      expect(bot.logs.some((l) => l.msg === 'missing-episode bot started')).toBe(false);
    },
    startTimeoutMs + 30_000,
  );

  it(
    'says in one line why it cannot start when DATA_DIR cannot be written, exiting 1',
    async () => {
      const file = path.join(tempDir(), 'not-a-folder');
      fs.writeFileSync(file, 'a file where the data folder should be');
      const bot = start({ DATA_DIR: file, LOG_LEVEL: 'info' });
      expect(await within(bot.exited, startTimeoutMs, 'exiting')).toEqual({ code: 1, signal: null });
      expect(bot.stderr().trim()).toMatch(
        /^The bot could not start: the data folder .*not-a-folder cannot be written \((EEXIST|ENOTDIR)\): DATA_DIR must be a folder the bot may create and write to\.$/,
      );
    },
    startTimeoutMs + 30_000,
  );

  it(
    'refuses to start with an invalid setting, exiting 1 and naming the variable',
    async () => {
      const bot = start({ DATA_DIR: path.join(tempDir(), 'data'), PORT: 'eighty', LOG_LEVEL: 'info' });
      expect(await within(bot.exited, startTimeoutMs, 'exiting')).toEqual({ code: 1, signal: null });
      expect(bot.stderr()).toMatch(/Some settings are not valid:\n\s+- PORT: /);
    },
    startTimeoutMs + 30_000,
  );
});
