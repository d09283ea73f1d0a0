import type { OfficeHours } from '../domain/office-hours.ts';
import type { ChildPlan } from '../protocol/plan.ts';
import type { ChecklistItem, ContactKey } from '../protocol/schema.ts';

const who: Record<ContactKey, string> = {
  socialWorker: 'the child’s social worker',
  iro: 'the Independent Reviewing Officer',
  placingAuthorityEdt: 'the emergency duty team',
  parentsWithPR: 'the parents with parental responsibility',
  supervisingSocialWorker: 'the supervising social worker',
  agencyOnCall: 'the agency’s on-call',
};

const days = (hours: OfficeHours) => {
  const names = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  return hours.days.length === 5 && weekdays.every((d) => hours.days.includes(d))
    ? 'Mon–Fri'
    : hours.days.map((d) => names[d]).join(', ');
};

/**
 * Whom to call for a checklist item, from the child's plan: who it is and their number as the plan
 * writes it, and, when it differs by time, which one in the home's office hours and which outside
 * them (the one that applies when the card was drawn first; the card is not redrawn at 17:00, so
 * it never says "now"). Parents' details stay out of chat: a name can identify the child.
 */
export function callText(
  call: ChecklistItem['call'],
  contacts: ChildPlan['contacts'],
  officeNow: boolean,
  hours: OfficeHours,
): string | undefined {
  if (!call || (!call.inHours && !call.outOfHours)) return undefined;
  const reach = (key: ContactKey) =>
    key === 'parentsWithPR'
      ? `${who[key]} (their details are in the child’s plan and the police pack, never in chat)`
      : `${who[key]} — ${contacts[key] ?? 'not in the child’s plan: ask the manager'}`;
  const window = `${days(hours)} ${hours.from}–${hours.to}`;
  const inHours = call.inHours ? `In office hours (${window}): call ${reach(call.inHours)}.` : '';
  const outside = call.outOfHours
    ? `${call.inHours ? 'Outside them' : `Out of office hours (${window})`}: call ${reach(call.outOfHours)}.`
    : '';
  if (call.inHours && call.inHours === call.outOfHours) return `Call ${reach(call.inHours)}.`;
  if (inHours && outside)
    return officeNow
      ? `${inHours} ${outside}`
      : `${outside.replace(/^Outside them/, `Out of office hours (${window})`)} ${inHours.replace(` (${window})`, '')}`;
  return inHours || outside;
}
