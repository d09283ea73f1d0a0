import { describe, expect, it } from 'vitest';
import { protocols } from '../../src/protocol/protocols.ts';
import { protocolSchema } from '../../src/protocol/schema.ts';

// Every procedure the bot runs holds the items the engine ticks from structured facts (a police
// report ticks "report to police", a return ticks "record the condition"), so a fact and its tick
// are one thing in either kind of home.
const engineItems = [
  'call-child',
  'confirm-last-seen',
  'report-police',
  'tell-police-return',
  'record-condition',
  'exploitation-check',
  'offer-rhi',
  'safe-and-well',
  'update-risk-assessment',
  'ofsted-decision',
  'care-plan-review',
  'tell-iro',
  'tell-parents',
];

describe('the procedures, one per kind of home', () => {
  it.each(Object.entries(protocols))('%s holds every item the engine records against', (_kind, protocol) => {
    const ids = new Set(protocol.checklist.map((i) => i.id));
    expect(engineItems.filter((id) => !ids.has(id))).toEqual([]);
    // Each item due by the child's plan names the plan's reason for when it is not.
    for (const item of protocol.checklist.filter((i) => i.onlyIf)) expect(item.onlyIf!.otherwise).toMatch(/^the /);
  });

  it('refuses a rung for items that name nothing, or items the checklist does not hold', () => {
    const base = protocols.fostering;
    const withRung = (rung: Record<string, unknown>) =>
      protocolSchema.safeParse({ ...base, ladder: [...base.ladder, { ...base.ladder[0], id: 'extra', ...rung }] });
    expect(withRung({ items: undefined }).error?.issues.map((i) => i.message)).toEqual([
      'ladder rung "extra" needs its items',
    ]);
    expect(withRung({ items: ['no-such-item'] }).error?.issues.map((i) => i.message)).toEqual([
      'ladder rung "extra" names unknown item "no-such-item"',
    ]);
  });
});
