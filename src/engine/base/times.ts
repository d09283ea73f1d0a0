import { refuse } from './context.ts';

/** Clocks on phones and servers disagree a little; more than this ahead is a mistake. */
const SKEW_MS = 5 * 60_000;

/**
 * Refuses a time a person entered that cannot be right: in the future, or before the moment it
 * must follow (a return before the child was last seen). Nothing is written when refused.
 */
export function checkTime(what: string, at: Date | undefined, now: Date, notBefore?: { at: Date; what: string }): void {
  if (!at) return;
  if (at.getTime() > now.getTime() + SKEW_MS) refuse('invalid_input', { problems: [`the ${what} is in the future`] });
  // Forms give times to the minute: a return "at 16:36" can follow an opening at 16:36:20.
  if (notBefore && at.getTime() < notBefore.at.getTime() - 60_000)
    refuse('invalid_input', { problems: [`the ${what} is before ${notBefore.what}`] });
}
