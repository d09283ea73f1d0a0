import { formatTime } from './format.ts';

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
