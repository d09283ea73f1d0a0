import { TZDate } from '@date-fns/tz';
import { addHours } from 'date-fns/addHours';
import { subHours } from 'date-fns/subHours';
import { toDate } from 'date-fns/toDate';

/**
 * The instants of a home's shift changes, given as wall-clock "HH:MM" in its IANA time zone.
 * Across the clock changes a 07:30 shift stays at 07:30 local time; a time that does not exist
 * (inside the spring-forward gap) falls at the first moment after it, and one that happens twice
 * (autumn) is taken once.
 */
export function shiftChangesBetween(times: string[], timeZone: string, from: Date, to: Date): Date[] {
  const out = new Map<number, Date>();
  // Walk local calendar days from the day before `from` to the day after `to`.
  const start = new TZDate(subHours(from, 36).getTime(), timeZone);
  for (let day = 0; day < 400; day++) {
    const date = new TZDate(start.getFullYear(), start.getMonth(), start.getDate() + day, 12, 0, timeZone);
    if (date.getTime() > addHours(to, 36).getTime()) break;
    for (const time of times) {
      const [hh, mm] = time.split(':').map(Number) as [number, number];
      const at = new TZDate(date.getFullYear(), date.getMonth(), date.getDate(), hh, mm, timeZone);
      if (at.getTime() > from.getTime() && at.getTime() <= to.getTime()) out.set(at.getTime(), toDate(at.getTime()));
    }
  }
  return [...out.values()].sort((a, b) => a.getTime() - b.getTime());
}

/** The most recent shift change at or before `now` (within the last two days), if any. */
export function latestShiftChange(times: string[], timeZone: string, now: Date): Date | null {
  const recent = shiftChangesBetween(times, timeZone, subHours(now, 48), now);
  return recent.at(-1) ?? null;
}

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The staff ids the rota names for the shift that starts at `shiftAt` (one of the home's shift
 * changes): the entry for its start time and weekday (home time), or none if the rota has none.
 */
export function incomingShift(
  rota: { starts: string; days?: (typeof weekdays)[number][] | undefined; staff: string[] }[],
  timeZone: string,
  shiftAt: Date,
): string[] {
  const local = new TZDate(shiftAt.getTime(), timeZone);
  const day = weekdays[(local.getDay() + 6) % 7]!;
  const startsAt = (time: string) => {
    const [hh, mm] = time.split(':').map(Number) as [number, number];
    return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), hh, mm, timeZone).getTime();
  };
  const shift = rota.find((s) => startsAt(s.starts) === shiftAt.getTime() && (!s.days || s.days.includes(day)));
  return shift?.staff ?? [];
}
