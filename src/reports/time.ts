import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';

/** The zone's short name at that moment ("GMT", "BST"), as people in the home would write it. */
function zoneName(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** A moment in the home's zone, with the year and the zone's name: "Fri 20 Nov 2026, 22:10:05 GMT". */
export function localStamp(at: Date, timeZone: string): string {
  return `${format(new TZDate(at, timeZone), 'EEE d MMM yyyy, HH:mm:ss')} ${zoneName(at, timeZone)}`;
}

/** A calendar date in the home's zone as ISO (yyyy-MM-dd). */
export const localDate = (at: Date, timeZone: string): string => format(new TZDate(at, timeZone), 'yyyy-MM-dd');

/** Weekday (0 = Monday … 6 = Sunday) and hour (0–23) of a moment in the home's zone. */
export function weekdayHour(at: Date, timeZone: string): { weekday: number; hour: number } {
  const local = new TZDate(at, timeZone);
  return { weekday: (local.getDay() + 6) % 7, hour: local.getHours() };
}

/** A moment both ways: ISO (UTC) for machines, the home's local time for people. */
export const stampOf = (at: Date, timeZone: string) => ({ iso: at.toISOString(), local: localStamp(at, timeZone) });
export const maybeStamp = (at: Date | null | undefined, timeZone: string) => (at ? stampOf(at, timeZone) : null);
