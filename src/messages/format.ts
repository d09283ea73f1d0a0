import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';

/** A time as a person in the home reads it, in the home's own time zone (BST/GMT handled). */
export function formatTime(at: Date, timeZone: string): string {
  return format(new TZDate(at, timeZone), 'EEE d MMM HH:mm');
}

/** The police reference as a person reads it ("ref CAD-1234", or that it is still to come), and the officer when known. */
export function policeReference(police: { reference: string | null; officer: string | null }): string {
  return `${police.reference ? `ref ${police.reference}` : 'reference to follow'}${police.officer ? `, ${police.officer}` : ''}`;
}

/** A duration in words: "2 h 05 min", "3 days 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'} ${hours} h`;
  if (hours > 0) return `${hours} h ${String(mins).padStart(2, '0')} min`;
  return `${mins} min`;
}

const words: Record<string, string> = {
  missing: 'Missing',
  absent: 'Absent',
  away_without_authorisation: 'Away without authorisation',
  no_apparent_risk: 'No apparent risk',
  very_low: 'Very low',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  open: 'Open',
  returned: 'Returned',
  closed: 'Closed',
  none: 'Not yet offered',
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
  reoffered: 'Offered again',
  held: 'Held',
  manager: 'Manager',
  deputy_manager: 'Deputy manager',
  senior_support_worker: 'Senior support worker',
  support_worker: 'Support worker',
  foster_carer: 'Foster carer',
  supervising_social_worker: 'Supervising social worker',
  unknown: 'Not staff of this home',
  bot: 'Bot',
};

/** A chat platform's name as people say it. */
export const platformName = (platform: string): string =>
  platform === 'teams' ? 'Teams' : platform === 'slack' ? 'Slack' : 'playground';

/** The readable name of a status, classification, risk level or role. */
export const label = (value: string): string => words[value] ?? value.replaceAll('_', ' ');

/**
 * Splits text into pieces of at most `max` characters, at a line or word end where there is one.
 * Nothing is lost unless `dropSeparator` asks for the line break or space at each cut to go (for
 * display, where each piece stands on its own).
 */
export function splitText(text: string, max: number, opts: { dropSeparator?: boolean } = {}): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    if (opts.dropSeparator) rest = rest.replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
