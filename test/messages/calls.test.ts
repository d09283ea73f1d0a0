import { describe, expect, it } from 'vitest';
import { callText } from '../../src/messages/calls.ts';
import type { OfficeHours } from '../../src/domain/office-hours.ts';

const office: OfficeHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' };
const contacts = {
  socialWorker: 'Ana Silva 0161 000 0001',
  placingAuthorityEdt: 'EDT 0161 000 0002',
  parentsWithPR: 'Mrs Jones 07700 900000',
};

describe('whom to call, in words', () => {
  it('names both contacts, the one for the time the card is drawn first, and never says "now"', () => {
    const call = { inHours: 'socialWorker', outOfHours: 'placingAuthorityEdt' } as const;
    expect(callText(call, contacts, true, office)).toBe(
      'In office hours (Mon–Fri 09:00–17:00): call the child’s social worker — Ana Silva 0161 000 0001. Outside them: call the emergency duty team — EDT 0161 000 0002.',
    );
    expect(callText(call, contacts, false, office)).toBe(
      'Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — EDT 0161 000 0002. In office hours: call the child’s social worker — Ana Silva 0161 000 0001.',
    );
  });

  it('says when a contact is for one part of the day only, at any time', () => {
    for (const officeNow of [true, false]) {
      expect(callText({ outOfHours: 'placingAuthorityEdt' }, contacts, officeNow, office)).toBe(
        'Out of office hours (Mon–Fri 09:00–17:00): call the emergency duty team — EDT 0161 000 0002.',
      );
      expect(callText({ inHours: 'socialWorker' }, contacts, officeNow, office)).toBe(
        'In office hours (Mon–Fri 09:00–17:00): call the child’s social worker — Ana Silva 0161 000 0001.',
      );
    }
  });

  it('keeps parents’ details out of chat, and says when the plan has no contact', () => {
    const parents = { inHours: 'parentsWithPR', outOfHours: 'parentsWithPR' } as const;
    expect(callText(parents, contacts, true, office)).toBe(
      'Call the parents with parental responsibility (their details are in the child’s plan and the police pack, never in chat).',
    );
    expect(callText(parents, contacts, true, office)).not.toContain('Jones');
    expect(callText({ inHours: 'iro', outOfHours: 'iro' }, {}, true, office)).toBe(
      'Call the Independent Reviewing Officer — not in the child’s plan: ask the manager.',
    );
    expect(callText(undefined, contacts, true, office)).toBeUndefined();
  });

  it('names other office days as they are', () => {
    expect(
      callText({ outOfHours: 'placingAuthorityEdt' }, contacts, false, {
        days: ['mon', 'wed', 'sat'],
        from: '08:30',
        to: '16:30',
      }),
    ).toBe('Out of office hours (Mon, Wed, Sat 08:30–16:30): call the emergency duty team — EDT 0161 000 0002.');
  });
});
