import pino from 'pino';

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

/** The process logger: JSON lines through pino, with personal data redacted (see redactedPaths). */
export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): pino.Logger {
  const options: pino.LoggerOptions = { level: opts.level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
