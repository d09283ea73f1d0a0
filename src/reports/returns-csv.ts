import { addHours } from 'date-fns/addHours';
import { subYears } from 'date-fns/subYears';
import type { Classification } from '../protocol/schema.ts';
import { localDate } from './time.ts';

// The returns a local authority makes from the record: the SSDA903 Missing table (exactly its five
// columns, as the Department for Education collects it) and, separately, the per-child figures of
// Ofsted's Annex A with the bot's own extras. Drills are left out before this.

/** One episode as the returns need it. */
export interface ReturnsEpisode {
  /** The child's alias, to name them in a refusal (never written to the files). */
  alias: string;
  /** The local authority's child identifier (the one in its Header table); null if not configured. */
  childRef: string | null;
  dateOfBirth: string | null;
  /** The later of leaving the placement and last seen by a responsible adult. */
  startedAt: Date;
  endedAt: Date | null;
  /** The classification from the start, then each change with its time. */
  classifications: { classification: Classification; at: Date }[];
  rhi: {
    offered: boolean;
    accepted: boolean | null;
    /** Refused, and offered again: what the guidance asks after a refusal. */
    reoffered: boolean;
    offeredAt: Date | null;
    heldAt: Date | null;
  };
  whereFound: string | null;
}

/** A collection year: 1 April to 31 March, named by the year it starts in ("2026-27"). */
export interface CollectionYear {
  startYear: number;
  /** ISO dates, inclusive. */
  from: string;
  to: string;
  label: string;
}

export function collectionYear(startYear: number): CollectionYear {
  return {
    startYear,
    from: `${startYear}-04-01`,
    to: `${startYear + 1}-03-31`,
    label: `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`,
  };
}

/** The collection year a date (ISO, the home's) falls in: January to March belong to the year before. */
export const collectionYearOf = (isoDate: string): CollectionYear => {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  return collectionYear(month >= 4 ? year : year - 1);
};

/** A row of the Missing table, in the specification's order: M (whereabouts unknown) or A (away without authorisation). */
export interface MissingRow {
  child: string;
  dob: string;
  type: 'M' | 'A';
  start: string;
  end: string;
}
export const MISSING_HEADER = ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'] as const;

/** One M or A period of an episode, with real (unclipped) local dates. */
interface Period {
  type: 'M' | 'A';
  from: string;
  to: string | null;
}

const typeOf: Record<Classification, 'M' | 'A' | null> = {
  missing: 'M',
  away_without_authorisation: 'A',
  absent: null,
};
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

/**
 * An episode's M and A periods: a change between M and A closes one and opens the next on the
 * same date; "absent" periods are not part of the table, and a change after the return is ignored.
 */
export function periodsOf(e: ReturnsEpisode, timeZone: string): Period[] {
  const end = e.endedAt;
  const spans: { type: 'M' | 'A' | null; from: Date; to: Date | null }[] = [];
  const changes = [...e.classifications].sort((a, b) => a.at.getTime() - b.at.getTime());
  let current = typeOf[changes[0]?.classification ?? 'missing'];
  let from = e.startedAt;
  for (const change of changes.slice(1)) {
    const at = change.at < e.startedAt ? e.startedAt : change.at;
    if (end && at >= end) break;
    const next = typeOf[change.classification];
    if (next === current) continue;
    spans.push({ type: current, from, to: at });
    current = next;
    from = at;
  }
  spans.push({ type: current, from, to: end });
  return spans
    .filter((s): s is typeof s & { type: 'M' | 'A' } => s.type !== null)
    .map((s) => ({ type: s.type, from: localDate(s.from, timeZone), to: s.to ? localDate(s.to, timeZone) : null }));
}

/** Whether any M or A period of the episode falls between two ISO dates (inclusive). */
export const overlaps = (e: ReturnsEpisode, timeZone: string, from: string, to: string) =>
  periodsOf(e, timeZone).some((p) => p.from <= to && (p.to === null || p.to >= from));

/** What keeps the returns from being made until it is fixed in the home configuration. */
export interface ReturnsGaps {
  /** Aliases of children without the authority's child identifier. */
  noAuthorityId: string[];
  /** Aliases of children without a date of birth. */
  noDateOfBirth: string[];
}

/** The children of these episodes missing a field both files need (each is mandatory in the return). */
export function returnsGaps(episodes: ReturnsEpisode[]): ReturnsGaps | null {
  const without = (has: (e: ReturnsEpisode) => boolean) => [
    ...new Set(episodes.filter((e) => !has(e)).map((e) => e.alias)),
  ];
  const gaps = {
    noAuthorityId: without((e) => e.childRef !== null),
    noDateOfBirth: without((e) => e.dateOfBirth !== null),
  };
  return gaps.noAuthorityId.length + gaps.noDateOfBirth.length > 0 ? gaps : null;
}

/**
 * The Missing table for a collection year: every period that overlaps it, a period that began
 * before 1 April keeping its real start, and one still running at 31 March (or still running) with
 * a blank end (rule 571: an end must fall within the year). Rows by child, then start; never
 * overlapping. Every child in it must have an authority id and a date of birth (see returnsGaps).
 */
export function missingTable(episodes: ReturnsEpisode[], timeZone: string, year: CollectionYear): MissingRow[] {
  const rows: (MissingRow & { sortKey: string })[] = [];
  for (const e of episodes) {
    for (const p of periodsOf(e, timeZone)) {
      if (p.from > year.to || (p.to !== null && p.to < year.from)) continue;
      rows.push({
        child: e.childRef ?? '',
        dob: e.dateOfBirth ? ddmmyyyy(e.dateOfBirth) : '',
        type: p.type,
        start: ddmmyyyy(p.from),
        end: p.to && p.to <= year.to ? ddmmyyyy(p.to) : '',
        sortKey: p.from,
      });
    }
  }
  rows.sort((a, b) => a.child.localeCompare(b.child) || a.sortKey.localeCompare(b.sortKey));
  return rows.map(({ sortKey: _, ...row }) => row);
}

/** Ofsted's words for a figure it asks for. */
type YesNoUnknown = 'Yes' | 'No' | 'Unknown';

/** One child's line of the Annex A figures, with the bot's own extras after them. */
export interface AnnexARow {
  child: string;
  missingEpisodes: number;
  awayEpisodes: number;
  rhiOffered: YesNoUnknown;
  rhiAccepted: YesNoUnknown;
  /** Extras: the last missing episode and its return home interview. */
  lastStart: string;
  lastEnd: string;
  rhiOfferedOn: string;
  rhiHeldOn: string;
  /** Y when no interview was held within 72 hours of the return; N when it was; blank while missing or still in time. */
  rhiBreach: 'Y' | 'N' | '';
  whereFound: string;
}
export const ANNEX_A_HEADER = [
  'CHILD',
  'MISSING_EPISODES_12_MONTHS',
  'AWAY_EPISODES_12_MONTHS',
  'RHI_OFFERED_AFTER_LAST_MISSING',
  'RHI_ACCEPTED_AFTER_LAST_MISSING',
  'LAST_MISSING_START',
  'LAST_MISSING_END',
  'RHI_OFFERED_ON',
  'RHI_HELD_ON',
  'RHI_72H_BREACH',
  'WHERE_FOUND',
] as const;

/** Hours within which the return home interview must be held (DfE statutory guidance). */
const RHI_HOURS = 72;

/**
 * Annex A: per child with a missing or away episode in the twelve months up to `asOf`, the count
 * of each, and whether a return home interview was offered and accepted after the last missing
 * episode (Unknown while the child is still missing or nobody has answered yet).
 */
export function annexARows(episodes: ReturnsEpisode[], timeZone: string, asOf: Date): AnnexARow[] {
  const since = localDate(subYears(asOf, 1), timeZone);
  const byChild = new Map<string, ReturnsEpisode[]>();
  for (const e of episodes) {
    const key = e.childRef ?? e.alias;
    byChild.set(key, [...(byChild.get(key) ?? []), e]);
  }
  const rows: AnnexARow[] = [];
  for (const [child, all] of byChild) {
    const recent = all
      .map((e) => ({ e, periods: periodsOf(e, timeZone).filter((p) => p.to === null || p.to >= since) }))
      .filter((x) => x.periods.length > 0);
    if (recent.length === 0) continue;
    const count = (type: 'M' | 'A') => recent.filter((x) => x.periods.some((p) => p.type === type)).length;
    const missing = recent.filter((x) => x.periods.some((p) => p.type === 'M'));
    const last = missing.sort((a, b) => a.e.startedAt.getTime() - b.e.startedAt.getTime()).at(-1)?.e ?? null;
    rows.push({
      child,
      missingEpisodes: count('M'),
      awayEpisodes: count('A'),
      ...rhiFigures(last, asOf),
      lastStart: last ? localDate(last.startedAt, timeZone) : '',
      lastEnd: last?.endedAt ? localDate(last.endedAt, timeZone) : '',
      rhiOfferedOn: last?.rhi.offeredAt ? localDate(last.rhi.offeredAt, timeZone) : '',
      rhiHeldOn: last?.rhi.heldAt ? localDate(last.rhi.heldAt, timeZone) : '',
      rhiBreach: last ? rhiBreach(last, asOf) : '',
      whereFound: last?.whereFound ?? '',
    });
  }
  return rows.sort((a, b) => a.child.localeCompare(b.child));
}

function rhiFigures(last: ReturnsEpisode | null, asOf: Date): Pick<AnnexARow, 'rhiOffered' | 'rhiAccepted'> {
  if (!last || !last.endedAt) return { rhiOffered: 'Unknown', rhiAccepted: 'Unknown' };
  if (!last.rhi.offered)
    return { rhiOffered: rhiBreach(last, asOf) === 'Y' ? 'No' : 'Unknown', rhiAccepted: 'Unknown' };
  return {
    rhiOffered: 'Yes',
    rhiAccepted: last.rhi.accepted === null ? 'Unknown' : last.rhi.accepted ? 'Yes' : 'No',
  };
}

/** Whether the 72-hour limit for the return home interview was missed (blank while it has not run out). */
export function rhiBreach(e: ReturnsEpisode, asOf: Date): 'Y' | 'N' | '' {
  if (!e.endedAt) return '';
  const limit = addHours(e.endedAt, RHI_HOURS);
  if (e.rhi.heldAt) return e.rhi.heldAt > limit ? 'Y' : 'N';
  // A refusal recorded and the offer made again is the child's choice, not a breach (as the
  // reminders see it: src/domain/ladder.ts, rhiNotHeld).
  if (e.rhi.reoffered) return 'N';
  return asOf > limit ? 'Y' : '';
}

/** A free-text cell: quoted when it must be, and never read as a formula by a spreadsheet. */
function textCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** CSV with CRLF line ends, as the return's loaders expect from spreadsheets. */
const csv = (header: readonly string[], lines: string[][]) =>
  `${[header.join(','), ...lines.map((l) => l.join(','))].join('\r\n')}\r\n`;

/**
 * The Missing table as CSV. Its cells are identifiers (validated in the home configuration: letters
 * and digits), dates and codes, so nothing needs quoting or guarding.
 */
export function missingTableCsv(rows: MissingRow[]): string {
  return csv(
    MISSING_HEADER,
    rows.map((r) => [r.child, r.dob, r.type, r.start, r.end]),
  );
}

export function annexACsv(rows: AnnexARow[]): string {
  const iso = (d: string) => (d ? ddmmyyyy(d) : '');
  return csv(
    ANNEX_A_HEADER,
    rows.map((r) => [
      textCell(r.child),
      String(r.missingEpisodes),
      String(r.awayEpisodes),
      r.rhiOffered,
      r.rhiAccepted,
      iso(r.lastStart),
      iso(r.lastEnd),
      iso(r.rhiOfferedOn),
      iso(r.rhiHeldOn),
      r.rhiBreach,
      textCell(r.whereFound),
    ]),
  );
}
