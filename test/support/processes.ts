import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bot process started by a test: its URL, its output so far, and a way to kill it outright. */
export interface BotProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, as a crash or an OOM killer would: no shutdown code runs. */
  kill(): Promise<void>;
}

const entry = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/** Starts the real bot in a child process with exactly these settings (nothing inherited but PATH). */
export async function startBotProcess(settings: Record<string, string>): Promise<BotProcess> {
  let output = '';
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...settings },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.add(child);
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(child);
    },
  };
}

/** Waits until `check` holds (polling every few milliseconds), or fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
