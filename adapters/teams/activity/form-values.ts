import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { FormField } from '../../../src/messages/forms.ts';

/** A date-time field arrives as two inputs: `<name>__date` and `<name>__time`. */
export const DATE_SUFFIX = '__date';
export const TIME_SUFFIX = '__time';

type Values = Record<string, string | string[] | undefined>;

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);

/** An IANA time zone Teams sent (the person's device zone), or null if there is none or it is not valid. */
export function validZone(candidate: unknown): string | null {
  if (typeof candidate !== 'string' || !candidate) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: candidate });
    return candidate;
  } catch {
    return null;
  }
}

/** A wall-clock date and time in a zone as an ISO instant; the raw text if it is not a time at all. */
function instant(date: string, time: string, timeZone: string): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time);
  // Unparseable input goes through as typed, so the engine answers with its usual "not a valid time".
  if (!d || !t) return `${date} ${time}`;
  const at = new TZDate(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), timeZone);
  return Number.isNaN(at.getTime()) ? `${date} ${time}` : new Date(at.getTime()).toISOString();
}

/**
 * The values of a submitted dialog, in the shape the shared form-to-command helpers take:
 * multi-selects split (Teams sends "a,b"), date and time joined into one instant in the person's
 * zone (an empty date is today there; an empty time leaves the field empty).
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
      const time = str(data[`${field.name}${TIME_SUFFIX}`]);
      const date = str(data[`${field.name}${DATE_SUFFIX}`]) || format(new TZDate(now, timeZone), 'yyyy-MM-dd');
      values[field.name] = time ? instant(date, time, timeZone) : undefined;
    } else {
      values[field.name] = str(data[field.name]);
    }
  }
  return values;
}
