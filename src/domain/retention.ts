import { addYears, format } from 'date-fns';

/**
 * How long a child's record is kept. Children's Homes (England) Regulations 2015, regulation 36
 * and Schedule 3: until the 75th anniversary of the child's date of birth (the Fostering Services
 * (England) Regulations 2011 ask the same of a fostering service's case records). Nothing of a
 * child's record is deleted before then, including when the child leaves the configuration.
 */
export const RETENTION_YEARS = 75;
export const RETENTION_RULE =
  "75 years from the child's date of birth (Children's Homes (England) Regulations 2015, regulation 36)";

/** The date until which a child's record is kept, or null when no date of birth is recorded. */
export function keepUntil(dateOfBirth: string | null | undefined): string | null {
  if (!dateOfBirth || !/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return null;
  return format(addYears(new Date(`${dateOfBirth}T12:00:00Z`), RETENTION_YEARS), 'yyyy-MM-dd');
}
