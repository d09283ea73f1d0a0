import { ordinal, type ChildHistory } from '../domain/history.ts';
import { formatDuration, formatTime } from './format.ts';

/** The words of a last-seen entry, with the time in the home's zone. */
export function lastSeenText(
  d: { at: Date | null; place?: string | null; by?: string | null; clothing?: string | null; withWhom?: string | null },
  timeZone: string,
): string {
  const parts = [d.at ? `Last seen ${formatTime(d.at, timeZone)}` : 'Last seen time not known yet'];
  if (d.place) parts.push(`at ${d.place}`);
  if (d.by) parts.push(`by ${d.by}`);
  let text = `${parts.join(' ')}.`;
  if (d.withWhom) text += ` With: ${d.withWhom}.`;
  if (d.clothing) text += ` Wearing / carrying: ${d.clothing}.`;
  return text;
}

/** What a child's history shows when a new episode opens: "2nd episode in 30 days; last returned 10 min ago, …". */
export function historyText(h: ChildHistory, now: Date): string | null {
  const parts: string[] = [];
  if (h.recentCount >= 2) parts.push(`${ordinal(h.recentCount)} episode in ${h.windowDays} days`);
  if (h.lastReturnedAt) {
    const since = now.getTime() - h.lastReturnedAt.getTime();
    const last = since < 60_000 ? 'returned just now' : `last returned ${formatDuration(since)} ago`;
    parts.push(h.lastReturnIndicators ? `${last}, exploitation indicators recorded` : last);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}
