import { TZDate } from '@date-fns/tz';
import { addMonths } from 'date-fns/addMonths';
import { format } from 'date-fns/format';
import { startOfMonth } from 'date-fns/startOfMonth';
import type { RhiStatus } from '../domain/episode.ts';
import { weekdayHour } from './time.ts';

/** One episode as the pattern report sees it (drills are left out before this). */
export interface PatternEpisode {
  alias: string;
  startedAt: Date;
  endedAt: Date | null;
  whereFound: string | null;
  withWhom: string | null;
  rhi: RhiStatus;
}

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const partsOfDay = ['night', 'morning', 'afternoon', 'evening'] as const;
export type PartOfDay = (typeof partsOfDay)[number];
/** Night 00–06, morning 06–12, afternoon 12–18, evening 18–24. */
export const partOf = (hour: number): PartOfDay => partsOfDay[Math.floor(hour / 6)]!;

export interface PatternsReport {
  subject: string;
  timeZone: string;
  generatedAt: Date;
  counts: { days30: number; days90: number; days365: number; total: number };
  /** Episodes of the last 12 months by the weekday (0 = Monday) and hour they began, home time. */
  grid: number[][];
  byWeekday: number[];
  byPart: Record<PartOfDay, number>;
  /** Episodes begun in each of the last 12 calendar months (home time), oldest first: "2026-01". */
  byMonth: { month: string; count: number }[];
  /** The returns of the last 12 months by how long the child was away. */
  byDuration: { band: DurationBand; count: number }[];
  /** Median and longest time away of the returns in the last 12 months. */
  duration: { medianMs: number | null; longestMs: number | null; returned: number };
  whereFound: { place: string; count: number }[];
  people: { name: string; count: number }[];
  byChild: { alias: string; count: number }[];
  rhi: { returned: number; offered: number; accepted: number; declined: number };
  /** The pattern signals, in words. */
  signals: string[];
}

export const durationBands = ['under 6 hours', '6 to 24 hours', '1 to 3 days', 'over 3 days'] as const;
export type DurationBand = (typeof durationBands)[number];
const HOUR = 3_600_000;
const bandOf = (ms: number): DurationBand =>
  ms < 6 * HOUR
    ? durationBands[0]
    : ms < 24 * HOUR
      ? durationBands[1]
      : ms <= 72 * HOUR
        ? durationBands[2]
        : durationBands[3];

const DAY = 86_400_000;
/** How many recent episodes the time-of-day signals look at. */
const RECENT = 5;

const tally = <T>(items: T[]) => {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  // Most frequent first; ties keep first-seen order.
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
};
const tidy = (text: string) =>
  text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.。]+$/, '');
const key = (text: string) => tidy(text).toLowerCase();
const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** The names in a "with whom" note: split on commas, "and", "&" and semicolons. */
const namesIn = (text: string | null) =>
  text
    ? text
        .split(/,|;|&|\band\b/i)
        .map(tidy)
        .filter((n) => n.length > 0 && !/^(no ?one|nobody|alone|unknown|not known)$/i.test(n))
    : [];
/** Counts distinct spellings of the same words once, shown as first written. */
function countText(values: string[]): { text: string; count: number }[] {
  const first = new Map<string, string>();
  for (const v of values) if (!first.has(key(v))) first.set(key(v), tidy(v));
  return tally(values.map(key)).map(([k, count]) => ({ text: first.get(k)!, count }));
}

function timeSignal(recent: PatternEpisode[], timeZone: string): string | null {
  if (recent.length < 3) return null;
  const when = recent.map((e) => weekdayHour(e.startedAt, timeZone));
  const of = `of the last ${recent.length} episodes began`;
  const [pair] = tally(when.map((w) => `${w.weekday}|${partOf(w.hour)}`));
  if (pair && pair[1] >= 3) {
    const [day, part] = pair[0].split('|');
    return `${pair[1]} ${of} on a ${weekdays[Number(day)]} ${part}.`;
  }
  const [day] = tally(when.map((w) => w.weekday));
  if (day && day[1] >= 3) return `${day[1]} ${of} on a ${weekdays[day[0]]}.`;
  const [part] = tally(when.map((w) => partOf(w.hour)));
  if (part && part[1] >= 3) return `${part[1]} ${of} ${part[0] === 'night' ? 'at night' : `in the ${part[0]}`}.`;
  return null;
}

/** Counts, distributions and the pattern signals (PROTOCOL.md) over a child's or a home's episodes. */
export function computePatterns(
  episodes: PatternEpisode[],
  opts: { subject: string; timeZone: string; now: Date; perChild: boolean },
): PatternsReport {
  const { timeZone, now } = opts;
  const sorted = [...episodes].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const within = (days: number) => sorted.filter((e) => now.getTime() - e.startedAt.getTime() <= days * DAY);
  const year = within(365);
  const grid = weekdays.map(() => new Array<number>(24).fill(0));
  const byPart = { night: 0, morning: 0, afternoon: 0, evening: 0 };
  for (const e of year) {
    const { weekday, hour } = weekdayHour(e.startedAt, timeZone);
    grid[weekday]![hour]! += 1;
    byPart[partOf(hour)] += 1;
  }
  const returned = year.filter((e) => e.endedAt);
  const durations = returned.map((e) => e.endedAt!.getTime() - e.startedAt.getTime());
  const thisMonth = startOfMonth(new TZDate(now, timeZone));
  const months = Array.from({ length: 12 }, (_, i) => format(addMonths(thisMonth, i - 11), 'yyyy-MM'));
  const started = tally(sorted.map((e) => format(new TZDate(e.startedAt, timeZone), 'yyyy-MM')));
  const bands = tally(durations.map(bandOf));
  const places = countText(returned.flatMap((e) => (e.whereFound ? [e.whereFound] : [])));
  // A person counts once per episode, however often the note names them.
  const people = countText(year.flatMap((e) => [...new Map(namesIn(e.withWhom).map((n) => [key(n), n])).values()]));
  const rhi = {
    returned: returned.length,
    offered: returned.filter((e) => e.rhi !== 'none').length,
    accepted: returned.filter((e) => e.rhi === 'accepted' || e.rhi === 'held').length,
    declined: returned.filter((e) => e.rhi === 'declined' || e.rhi === 'reoffered').length,
  };

  const signals: string[] = [];
  const time = timeSignal(sorted.slice(-RECENT), timeZone);
  if (time) signals.push(time);
  const recentReturns = sorted.filter((e) => e.endedAt && e.whereFound).slice(-RECENT);
  const [place] = countText(recentReturns.map((e) => e.whereFound!));
  if (place && place.count >= 2)
    signals.push(`Found at ${place.text} in ${place.count} of the last ${recentReturns.length} returns.`);
  for (const person of people.filter((p) => p.count >= 2).slice(0, 3))
    signals.push(
      `“${person.text}” was named as with ${opts.perChild ? 'the child' : 'a child'} in ${person.count} episodes.`,
    );
  if (opts.perChild && year.length >= 2)
    signals.push(
      `${year.length} episodes in the last 12 months: the return home interview matters all the more, and a review of the care plan should be asked for.`,
    );
  const unoffered = rhi.returned - rhi.offered;
  if (unoffered > 0)
    signals.push(
      `No return home interview offer is recorded after ${
        unoffered < rhi.returned
          ? `${unoffered} of the ${rhi.returned} returns`
          : rhi.returned === 1
            ? 'the only return'
            : `any of the ${rhi.returned} returns`
      } in the last 12 months.`,
    );

  return {
    subject: opts.subject,
    timeZone,
    generatedAt: now,
    counts: { days30: within(30).length, days90: within(90).length, days365: year.length, total: sorted.length },
    grid,
    byWeekday: grid.map((row) => row.reduce((a, b) => a + b, 0)),
    byPart,
    byMonth: months.map((month) => ({ month, count: started.find(([m]) => m === month)?.[1] ?? 0 })),
    byDuration: durationBands.map((band) => ({ band, count: bands.find(([b]) => b === band)?.[1] ?? 0 })),
    duration: {
      medianMs: median(durations),
      longestMs: durations.length ? Math.max(...durations) : null,
      returned: returned.length,
    },
    whereFound: places.map((p) => ({ place: p.text, count: p.count })),
    people: people.map((p) => ({ name: p.text, count: p.count })),
    byChild: tally(year.map((e) => e.alias)).map(([alias, count]) => ({ alias, count })),
    rhi,
    signals,
  };
}
