import { createRequire } from 'node:module';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';

/** pino-pretty, loaded only when a person reads the logs: a server writing JSON never needs it. */
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/**
 * Fields that must never reach the logs, even if someone passes them: a child's name and date of
 * birth, message text, aliases, tokens.
 */
export const redactedPaths = [
  'text',
  'name',
  'dateOfBirth',
  'alias',
  'token',
  '*.text',
  '*.name',
  '*.dateOfBirth',
  '*.alias',
  '*.token',
];

/**
 * The process logger: pino, with personal data redacted (see redactedPaths) before any line is
 * written. JSON lines for machines; with `pretty` (stdout is a terminal: a person is reading)
 * pino-pretty's coloured one-line-per-event format, in this process so nothing is lost on exit.
 */
export function createLogger(opts: {
  level: string;
  destination?: pino.DestinationStream;
  pretty?: boolean;
}): pino.Logger {
  const options: pino.LoggerOptions = { level: opts.level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  const stream = opts.pretty
    ? loadPretty()({
        colorize: !opts.destination,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        sync: true,
        ...(opts.destination ? { destination: opts.destination as NodeJS.WritableStream } : {}),
      })
    : opts.destination;
  return stream ? pino(options, stream) : pino(options);
}
