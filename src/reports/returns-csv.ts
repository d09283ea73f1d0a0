import type { Classification } from '../protocol/schema.ts';
import { localDate } from './time.ts';

/** One episode as the looked-after return's missing table needs it (drills are left out before this). */
export interface ReturnsEpisode {
  childRef: string;
  dateOfBirth: string | null;
  /** The later of leaving the placement and last seen by a responsible adult. */
  startedAt: Date;
  endedAt: Date | null;
  /** The classification from the start, then each change with its time. */
  classifications: { classification: Classification; at: Date }[];
  rhi: { offered: boolean; accepted: boolean | null };
  whereFound: string | null;
}

/** A row of the missing table: M (whereabouts unknown) or A (away without authorisation), dates only. */
export interface ReturnsRow {
  child: string;
  dob: string;
  type: 'M' | 'A';
  start: string;
  end: string;
  rhiOffered: 'Y' | 'N' | 'NA';
  rhiAccepted: 'Y' | 'N' | 'NA';
  whereFound: string;
}

const typeOf: Record<Classification, 'M' | 'A' | null> = {
  missing: 'M',
  away_without_authorisation: 'A',
  absent: null,
};
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

/**
 * Splits an episode into missing-table rows: a change between M and A closes one row and opens
 * the next on the same date; "absent" periods are not part of the table. The RHI and where-found
 * fields go on the episode's last row, which is the one its return closes.
 */
export function rowsOf(e: ReturnsEpisode, timeZone: string): ReturnsRow[] {
  const end = e.endedAt;
  const periods: { type: 'M' | 'A' | null; from: Date; to: Date | null }[] = [];
  const changes = [...e.classifications].sort((a, b) => a.at.getTime() - b.at.getTime());
  let current = typeOf[changes[0]?.classification ?? 'missing'];
  let from = e.startedAt;
  for (const change of changes.slice(1)) {
    const at = change.at < e.startedAt ? e.startedAt : change.at;
    if (end && at >= end) break;
    const next = typeOf[change.classification];
    if (next === current) continue;
    periods.push({ type: current, from, to: at });
    current = next;
    from = at;
  }
  periods.push({ type: current, from, to: end });
  const rows = periods
    .filter((p) => p.type !== null)
    .map((p) => ({
      child: e.childRef,
      dob: e.dateOfBirth ? ddmmyyyy(e.dateOfBirth) : '',
      type: p.type!,
      start: ddmmyyyy(localDate(p.from, timeZone)),
      end: p.to ? ddmmyyyy(localDate(p.to, timeZone)) : '',
      rhiOffered: 'NA' as const,
      rhiAccepted: 'NA' as const,
      whereFound: '',
    }));
  const last = rows.at(-1);
  if (last && end)
    Object.assign(last, {
      rhiOffered: e.rhi.offered ? 'Y' : 'N',
      rhiAccepted: !e.rhi.offered || e.rhi.accepted === null ? 'NA' : e.rhi.accepted ? 'Y' : 'N',
      whereFound: e.whereFound ?? '',
    });
  return rows;
}

const toTime = (ddmmyyyyDate: string) => Date.parse(ddmmyyyyDate.split('/').reverse().join('-'));

/** The rows of every episode that overlaps [from, to] (dates, inclusive), by child and start date. */
export function returnsRows(episodes: ReturnsEpisode[], timeZone: string, from: string, to: string): ReturnsRow[] {
  const lo = Date.parse(from);
  const hi = Date.parse(to);
  return episodes
    .flatMap((e) => rowsOf(e, timeZone))
    .filter((r) => toTime(r.start) <= hi && (r.end === '' || toTime(r.end) >= lo))
    .sort((a, b) => a.child.localeCompare(b.child) || toTime(a.start) - toTime(b.start));
}

/** A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const RETURNS_HEADER = [
  'CHILD',
  'DOB',
  'MISSING',
  'MIS_START',
  'MIS_END',
  'RHI_OFFERED',
  'RHI_ACCEPTED',
  'WHERE_FOUND',
];

/** The CSV (CRLF line ends, as the return's loaders expect from spreadsheets). */
export function returnsCsv(rows: ReturnsRow[]): string {
  const lines = [RETURNS_HEADER.join(',')];
  for (const r of rows)
    lines.push([r.child, r.dob, r.type, r.start, r.end, r.rhiOffered, r.rhiAccepted, r.whereFound].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
