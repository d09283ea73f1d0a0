import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';

/**
 * Times people type into forms are wall-clock times in their home's zone, whatever the zone of
 * the device they type on: every form says which zone, and every adapter reads them in it.
 */

/** The zone of a person the bot cannot place in a home: the product serves homes in England. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

/** A form field's date part and time part, as adapters name the two inputs. */
export const DATE_PART = '__date';
export const TIME_PART = '__time';

/** The home's zone as a person reads it beside a time field: "UK time (Europe/London)". */
export function zoneLabel(timeZone: string): string {
  return timeZone === 'Europe/London' ? 'UK time (Europe/London)' : `${timeZone} time`;
}

/**
 * A date ("2026-12-01", empty for today in the zone) and a time ("18:05") read in a zone, as an
 * ISO instant; empty when no time was given. Anything unreadable goes through as typed, so the
 * engine answers with its usual "not a time I can read".
 */
export function wallClockInstant(
  date: string | undefined,
  time: string | undefined,
  timeZone: string,
  now: Date,
): string {
  const t = (time ?? '').trim();
  if (!t) return '';
  const day = (date ?? '').trim() || format(new TZDate(now, timeZone), 'yyyy-MM-dd');
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const hm = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(t);
  if (!d || !hm) return `${day} ${t}`;
  const at = new TZDate(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(hm[1]), Number(hm[2]), timeZone);
  return Number.isNaN(at.getTime()) ? `${day} ${t}` : new Date(at.getTime()).toISOString();
}

/**
 * A browser's `datetime-local` value ("2026-12-01T18:05") read in the home's zone. A value that
 * already names its zone (an ISO instant, from a script) is taken as it is.
 */
export function localInputInstant(value: string | undefined, timeZone: string, now: Date): string {
  const v = (value ?? '').trim();
  if (!v || /(Z|[+-]\d{2}:\d{2})$/.test(v)) return v;
  const [date, time] = v.split('T');
  // Not a date and a time at all: passed on as typed, for the usual "not a time I can read".
  if (!date || !time) return v;
  return wallClockInstant(date, time, timeZone, now);
}
