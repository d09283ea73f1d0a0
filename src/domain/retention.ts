/**
 * How long a child's record is kept. Children's Homes (England) Regulations 2015, regulation 36
 * and Schedule 3: until the 75th anniversary of the child's date of birth (the Fostering Services
 * (England) Regulations 2011 ask the same of a fostering service's case records). Nothing of a
 * child's record is deleted before then, including when the child leaves the configuration.
 */
export const RETENTION_YEARS = 75;
export const RETENTION_RULE =
  "75 years from the child's date of birth (Children's Homes (England) Regulations 2015, regulation 36)";

const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The date until which a child's record is kept (an ISO date), or null when no date of birth is
 * recorded. Calendar arithmetic only: a child born on 29 February is kept until 1 March in a year
 * without one (a keep-until date errs later, never earlier).
 */
export function keepUntil(dateOfBirth: string | null | undefined): string | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth ?? '');
  if (!parts) return null;
  const year = Number(parts[1]) + RETENTION_YEARS;
  if (parts[2] === '02' && parts[3] === '29' && !leap(year)) return `${year}-03-01`;
  return `${year}-${parts[2]}-${parts[3]}`;
}
