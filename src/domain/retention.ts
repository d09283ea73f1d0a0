/**
 * How long a child's record is kept is the procedure's (`retention` in src/protocol): until the
 * 75th anniversary of the child's date of birth, as the Children's Homes (England) Regulations
 * 2015, regulation 36, ask of a home, and the Care Planning, Placement and Case Review (England)
 * Regulations 2010, regulation 50, of the child's case record in foster care. Nothing of a child's
 * record is deleted before then, including when the child leaves the configuration.
 */

const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The date until which a child's record is kept (an ISO date), or null when no date of birth is
 * recorded. Calendar arithmetic only: a child born on 29 February is kept until 1 March in a year
 * without one (a keep-until date errs later, never earlier).
 */
export function keepUntil(dateOfBirth: string | null | undefined, years: number): string | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth ?? '');
  if (!parts) return null;
  const year = Number(parts[1]) + years;
  if (parts[2] === '02' && parts[3] === '29' && !leap(year)) return `${year}-03-01`;
  return `${year}-${parts[2]}-${parts[3]}`;
}
