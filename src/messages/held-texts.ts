import { formatTime } from './format.ts';

/** To the person whose entry was held while the database was away, and then refused when applied. */
export function heldRefusedText(receivedAt: Date, timeZone: string, reason: string): string {
  return `The entry you made at ${formatTime(receivedAt, timeZone)}, while recording was delayed, could not be recorded now that the database is back: ${reason}`;
}
