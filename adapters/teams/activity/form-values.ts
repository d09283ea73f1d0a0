import { DATE_PART, TIME_PART, wallClockInstant } from '../../../src/messages/form-times.ts';
import type { FormField } from '../../../src/messages/forms.ts';

type Values = Record<string, string | string[] | undefined>;

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);

/**
 * The values of a submitted dialog, in the shape the shared form-to-command helpers take:
 * multi-selects split (Teams sends "a,b"), date and time joined into one instant in the person's
 * home's zone (an empty date is today there; an empty time leaves the field empty).
 */
export function submittedValues(
  fields: FormField[],
  data: Record<string, unknown>,
  timeZone: string,
  now: Date,
): Values {
  const values: Values = {};
  for (const field of fields) {
    if (field.kind === 'multiselect') {
      const raw = str(data[field.name]);
      values[field.name] = raw ? raw.split(',').filter(Boolean) : [];
    } else if (field.kind === 'datetime') {
      const at = wallClockInstant(
        str(data[`${field.name}${DATE_PART}`]),
        str(data[`${field.name}${TIME_PART}`]),
        timeZone,
        now,
      );
      values[field.name] = at || undefined;
    } else {
      values[field.name] = str(data[field.name]);
    }
  }
  return values;
}
