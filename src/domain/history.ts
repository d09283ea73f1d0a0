import { TZDate } from '@date-fns/tz';
import { differenceInMinutes } from 'date-fns/differenceInMinutes';
import { format } from 'date-fns/format';
import { subDays } from 'date-fns/subDays';
import { inWindow } from '../protocol/policy.ts';
import { latestShiftChange } from './shifts.ts';

/** An earlier episode of the same child, as far as the risk and the history line need it. */
export interface EarlierEpisode {
  id: string;
  openedAt: Date;
  lastSeenAt: Date | null;
  returnedAt: Date | null;
  /** Exploitation indicators recorded at the return (ids). */
  indicators: string[];
}

/** The home's settings for what counts as night, a repeat and a long episode. */
export interface HistoryRules {
  /** Local times; the window may run over midnight (22:00–06:00). */
  night: { from: string; to: string };
  /** A second episode within this many days (this one included) makes it a repeat. */
  repeatWithinDays: number;
  /** An earlier episode at least this long counts as a long one. */
  longEpisodeHours: number;
}

/** A risk factor the bot worked out, with the reason in words a person can check. */
export interface DerivedFactor {
  id: 'under-13' | 'night-or-weather' | 'repeat-episodes' | 'long-episodes' | 'previous-exploitation';
  why: string;
}

/** What the child's history shows at the moment a new episode opens. */
export interface ChildHistory {
  /** Episodes within the repeat window, this one included. */
  recentCount: number;
  windowDays: number;
  lastReturnedAt: Date | null;
  /** Whether the last return recorded exploitation indicators. */
  lastReturnIndicators: boolean;
}

/** A child's age in whole years on the local date `now` falls on in `timeZone`. */
export function ageOn(dateOfBirth: string, now: Date, timeZone: string): number {
  const local = new TZDate(now.getTime(), timeZone);
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const beforeBirthday = local.getMonth() + 1 < month || (local.getMonth() + 1 === month && local.getDate() < day);
  return local.getFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** What the history shows for a new episode opening at `now` (earlier episodes oldest first). */
export function childHistory(earlier: EarlierEpisode[], now: Date, rules: HistoryRules): ChildHistory {
  const since = subDays(now, rules.repeatWithinDays);
  const last = [...earlier].reverse().find((e) => e.returnedAt !== null) ?? null;
  return {
    recentCount: earlier.filter((e) => e.openedAt >= since).length + 1,
    windowDays: rules.repeatWithinDays,
    lastReturnedAt: last?.returnedAt ?? null,
    lastReturnIndicators: (last?.indicators.length ?? 0) > 0,
  };
}

/**
 * The risk factors the record already shows, worked out rather than typed: under 13 on the day
 * (from the date of birth), night-time in the home's zone, a repeat episode, an earlier long
 * episode, exploitation indicators seen on an earlier return.
 */
export function derivedFactors(input: {
  now: Date;
  timeZone: string;
  dateOfBirth: string | undefined;
  earlier: EarlierEpisode[];
  rules: HistoryRules;
}): DerivedFactor[] {
  const { now, timeZone, rules } = input;
  const found: DerivedFactor[] = [];
  if (input.dateOfBirth) {
    const age = ageOn(input.dateOfBirth, now, timeZone);
    if (age < 13) found.push({ id: 'under-13', why: `under 13: ${age} years old today (date of birth on file)` });
  }
  const night = nightFactor(now, timeZone, rules.night);
  if (night) found.push(night);
  const history = childHistory(input.earlier, now, rules);
  if (history.recentCount >= 2)
    found.push({
      id: 'repeat-episodes',
      why: `repeat episode: the ${ordinal(history.recentCount)} in ${rules.repeatWithinDays} days`,
    });
  const long = input.earlier.some(
    (e) =>
      e.returnedAt !== null &&
      differenceInMinutes(e.returnedAt, e.lastSeenAt ?? e.openedAt) >= rules.longEpisodeHours * 60,
  );
  if (long)
    found.push({ id: 'long-episodes', why: `an earlier episode lasted ${rules.longEpisodeHours} hours or more` });
  if (input.earlier.some((e) => e.indicators.length > 0))
    found.push({ id: 'previous-exploitation', why: 'exploitation indicators were recorded on an earlier return' });
  return found;
}

/** Night-time as a factor, with the local time that makes it so; null by day. */
export function nightFactor(now: Date, timeZone: string, night: HistoryRules['night']): DerivedFactor | null {
  const local = new TZDate(now.getTime(), timeZone);
  if (!inWindow(local.getHours() * 60 + local.getMinutes(), night)) return null;
  return {
    id: 'night-or-weather',
    why: `night-time: ${format(local, 'HH:mm')} in ${timeZone} (the home counts ${night.from}–${night.to} as night)`,
  };
}

/** When the night `now` falls in began (the home's window, in its zone); null by day. */
export function nightBegan(now: Date, timeZone: string, night: HistoryRules['night']): Date | null {
  return nightFactor(now, timeZone, night) ? latestShiftChange([night.from], timeZone, now) : null;
}

/** 1st, 2nd, 3rd, 4th … */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? 'th'}`;
}
