import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.ts';

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One line of text from what Bolt logs: its own words and error messages, never the objects it passes along. */
function line(parts: unknown[]): string {
  const text = parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : ''))
    .filter(Boolean)
    .join(' ');
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

/**
 * Bolt's (and its Web API client's) logging, sent through the bot's logger so it is captured and
 * redacted like the rest, instead of going straight to the console. Debug lines are dropped
 * whatever the level: Bolt's debug output includes whole request bodies (message text).
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const on = (at: LogLevel) => rank[at] >= rank[level];
  return {
    debug: () => {},
    info: (...parts: unknown[]) => on(LogLevel.INFO) && logger.info({ source: 'slack' }, line(parts)),
    warn: (...parts: unknown[]) => on(LogLevel.WARN) && logger.warn({ source: 'slack' }, line(parts)),
    error: (...parts: unknown[]) => on(LogLevel.ERROR) && logger.error({ source: 'slack' }, line(parts)),
    setLevel: (next: LogLevel) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}
