// The public SSDA903 data-quality rules that concern the Missing table alone, as local authorities
// run them before submitting (written here from the rules' published descriptions). Each returns
// the rule codes a file breaks, with the row; an empty list is a file the loader would take.
import type { CollectionYear } from '../../src/reports/returns-csv.ts';

const COLUMNS = ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'];
const date = (ddmmyyyy: string) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(ddmmyyyy);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString().slice(0, 10) !== iso ? null : iso;
};

export function missingTableProblems(csv: string, year: CollectionYear): string[] {
  const [header, ...lines] = csv.replace(/\r\n$/, '').split('\r\n');
  // A loader identifies the table by its columns, exactly.
  if (header !== COLUMNS.join(',')) return [`columns: ${header}`];
  const problems: string[] = [];
  const rows = lines.map((l) => l.split(','));
  rows.forEach(([child, dob, type, start, end], i) => {
    const at = (code: string) => problems.push(`${code} row ${i + 1}`);
    if (!child || child.length > 10 || !/^[A-Za-z0-9]+$/.test(child)) at('CHILD');
    if (!dob || !date(dob)) at('DOB');
    if (!['M', 'A'].includes(type ?? '')) at('1006'); // missing type invalid
    const s = date(start ?? '');
    if (!s) at('1004'); // start not a valid date
    if (end && !date(end)) at('1005'); // end not a valid date
    const e = end ? date(end) : null;
    if (s && e && e < s) at('567'); // ends before it starts
    if (s && s > year.to) at('570'); // starts after the collection year
    if (e && (e < year.from || e > year.to)) at('571'); // ends outside the collection year
  });
  // Periods of one child never overlap (a change between M and A closes one and opens the next on
  // the same date).
  const byChild = new Map<string, { s: string; e: string | null }[]>();
  for (const [child, , , start, end] of rows)
    byChild.set(child!, [...(byChild.get(child!) ?? []), { s: date(start!)!, e: end ? date(end) : null }]);
  for (const [child, periods] of byChild) {
    const sorted = periods.sort((a, b) => a.s.localeCompare(b.s));
    sorted.slice(1).forEach((p, i) => {
      const before = sorted[i]!;
      if (before.e === null || before.e > p.s) problems.push(`overlap ${child} ${p.s}`);
    });
  }
  return problems;
}
