import { TZDate } from '@date-fns/tz';
import { inWindow, weekdays } from '../protocol/policy.ts';

export interface OfficeHours {
  days: (typeof weekdays)[number][];
  from: string;
  to: string;
}

/** Whether a moment falls in the office hours, read in the home's time zone (bank holidays are not known). */
export function inOfficeHours(now: Date, timeZone: string, hours: OfficeHours): boolean {
  const local = new TZDate(now.getTime(), timeZone);
  const day = weekdays[(local.getDay() + 6) % 7]!;
  return hours.days.includes(day) && inWindow(local.getHours() * 60 + local.getMinutes(), hours);
}
