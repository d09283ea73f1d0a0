import { describe, expect, it } from 'vitest';
import type { Episode, ItemState } from '../../src/domain/episode.ts';
import { plannedPings, type LadderContext, type PlannedPing } from '../../src/domain/ladder.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';
import { childPlanSchema, type ChildPlan } from '../../src/protocol/plan.ts';
import { effectiveProtocol, homePolicySchema } from '../../src/protocol/policy.ts';

// Pure: episodes are built by hand and the plan is asked "what is due at `now`", no database.

const opened = new Date('2026-11-20T22:10:00Z');
const minutes = (n: number, from = opened) => new Date(from.getTime() + n * 60_000);

function episode(over: Partial<Episode> = {}): Episode {
  return {
    id: 'ep-1',
    homeId: 'oak-house',
    childId: 'child-aj',
    alias: 'AJ',
    status: 'open',
    classification: 'missing',
    riskLevel: 'medium',
    riskFactors: [],
    isDrill: false,
    drillSpeed: 1,
    openedAt: opened,
    lastSeenAt: null,
    lastSeenPlace: null,
    lastSeenBy: null,
    clothing: null,
    withWhom: null,
    platform: 'web',
    threadRef: null,
    police: null,
    returnedAt: null,
    policeToldOfReturnAt: null,
    safeAndWellAt: null,
    riskAssessmentUpdatedAt: null,
    rhi: { status: 'none', offeredAt: null, heldAt: null },
    closedAt: null,
    checklist: {},
    lastContactAttemptAt: null,
    highRiskSince: null,
    previousEpisodeId: null,
    policeNotRequiredAt: null,
    openedByStaffId: 'jo',
    historyNote: null,
    ...over,
  };
}

function context(plan: Partial<ChildPlan> = {}, over: Partial<LadderContext> = {}): LadderContext {
  return {
    protocol: defaultProtocol,
    plan: childPlanSchema.parse(plan),
    defaultReportAfterMinutes: 30,
    ...over,
  };
}

const done = (at = minutes(5)): ItemState => ({ status: 'done', reason: null, byStaffId: 'jo', at });
const establishIds = defaultProtocol.checklist.filter((i) => i.stage === 'establish').map((i) => i.id);
const allTicked = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, done()]));
const policeReport = {
  reportedAt: minutes(20),
  reference: 'CAD-1234',
  officer: 'PC Lane',
  grade: 'medium' as const,
  reviewAt: null,
};

const byRule = (pings: PlannedPing[], rule: string) => pings.filter((p) => p.rule === rule);
const only = (pings: PlannedPing[], rule: string) => {
  const found = byRule(pings, rule);
  expect(found, `exactly one ${rule} ping`).toHaveLength(1);
  return found[0]!;
};
/** The first occurrence of a repeating rung (key ending /0), which must be planned. */
const firstOf = (pings: PlannedPing[], rule: string) => {
  const found = byRule(pings, rule).find((p) => p.key.endsWith('/0'));
  expect(found, `the first ${rule} ping`).toBeDefined();
  return found!;
};
const rules = (pings: PlannedPing[]) => [...new Set(pings.map((p) => p.rule))].sort();

describe('stage 1 reminder', () => {
  it('pings the on-call staff 15 minutes after opening while stage 1 checks are open', () => {
    const ping = only(plannedPings(episode(), context(), opened), 'stage-1-open');
    expect(ping).toEqual({
      key: `ep-1/stage-1-open/${opened.toISOString()}/0`,
      rule: 'stage-1-open',
      audience: 'on_call',
      dueAt: minutes(15),
    });
  });

  it('keeps the reminder while even one stage 1 check is open', () => {
    const checklist = allTicked(establishIds.slice(1));
    expect(byRule(plannedPings(episode({ checklist }), context(), minutes(10)), 'stage-1-open')).toHaveLength(1);
  });

  it('drops the reminder once every stage 1 check is done or marked not applicable', () => {
    const checklist = allTicked(establishIds);
    checklist['note-triggers'] = {
      status: 'not_applicable',
      reason: 'nothing happened today',
      byStaffId: 'jo',
      at: minutes(6),
    };
    expect(byRule(plannedPings(episode({ checklist }), context(), minutes(10)), 'stage-1-open')).toEqual([]);
  });

  it('is not affected by items of later stages', () => {
    const checklist = allTicked(['tell-manager', 'report-police']);
    expect(byRule(plannedPings(episode({ checklist }), context(), opened), 'stage-1-open')).toHaveLength(1);
  });
});

describe('police-not-told reminder', () => {
  it('is due at the report-after time counted from last seen when last seen is earlier than opening', () => {
    const e = episode({ lastSeenAt: minutes(-10) });
    const ping = only(plannedPings(e, context({ reportAfterMinutes: 30 }), opened), 'police-not-told');
    expect(ping.dueAt).toEqual(minutes(20));
    expect(ping.audience).toBe('on_call');
  });

  it('counts from opening when the child was last seen after the episode was opened', () => {
    const e = episode({ lastSeenAt: minutes(5) });
    expect(only(plannedPings(e, context({ reportAfterMinutes: 30 }), opened), 'police-not-told').dueAt).toEqual(
      minutes(30),
    );
  });

  it('counts from opening when no last-seen time is known', () => {
    expect(only(plannedPings(episode(), context({ reportAfterMinutes: 20 }), opened), 'police-not-told').dueAt).toEqual(
      minutes(20),
    );
  });

  it('uses the home default for a plan that does not say, and never a plan longer than the home allows', () => {
    expect(only(plannedPings(episode(), context(), opened), 'police-not-told').dueAt).toEqual(minutes(30));
    const lenient = context({ reportAfterMinutes: 90 });
    expect(only(plannedPings(episode(), lenient, opened), 'police-not-told').dueAt).toEqual(minutes(30));
  });

  it('is due at once for a high-risk child, whatever the plan says', () => {
    const e = episode({ riskLevel: 'high', highRiskSince: opened, lastSeenAt: minutes(-10) });
    const pings = byRule(plannedPings(e, context({ reportAfterMinutes: 30 }), opened), 'police-not-told');
    // Already due at opening, so the repeat after it is planned too.
    expect(pings.map((p) => p.dueAt)).toEqual([minutes(-10), minutes(5)]);
    expect(firstOf(pings, 'police-not-told').dueAt).toEqual(minutes(-10));
  });

  it('is due at once for a child whose plan says report immediately', () => {
    const pings = plannedPings(episode(), context({ reportAfterMinutes: 0 }), opened);
    expect(firstOf(pings, 'police-not-told').dueAt).toEqual(opened);
  });

  it('goes once the police report is recorded', () => {
    const e = episode({ police: policeReport });
    expect(byRule(plannedPings(e, context(), minutes(40)), 'police-not-told')).toEqual([]);
  });

  it('does not apply to a child classified as absent rather than missing', () => {
    const e = episode({ classification: 'absent' });
    expect(byRule(plannedPings(e, context(), minutes(40)), 'police-not-told')).toEqual([]);
  });
});

describe('repeating reminders', () => {
  const ctx = context({ reportAfterMinutes: 30 });
  const first = minutes(30);
  const key = (n: number) => `ep-1/police-not-told/${first.toISOString()}/${n}`;

  it('plans only the first occurrence before it is due', () => {
    expect(byRule(plannedPings(episode(), ctx, minutes(29)), 'police-not-told')).toEqual([
      { key: key(0), rule: 'police-not-told', audience: 'on_call', dueAt: first },
    ]);
  });

  it('gives the occurrence now due and the next one, every 15 minutes, while the police are not told', () => {
    const pings = byRule(plannedPings(episode(), ctx, minutes(20, first)), 'police-not-told');
    expect(pings.map((p) => [p.key, p.dueAt])).toEqual([
      [key(1), minutes(15, first)],
      [key(2), minutes(30, first)],
    ]);
  });

  it('keeps the same keys however often the plan is derived within one interval', () => {
    const at = (n: number) => byRule(plannedPings(episode(), ctx, minutes(n, first)), 'police-not-told');
    expect(at(15)).toEqual(at(29));
    expect(at(15).map((p) => p.key)).toEqual([key(1), key(2)]);
    expect(at(30).map((p) => p.key)).toEqual([key(2), key(3)]);
  });

  it('starts at the exact due moment with occurrence 0 and its successor', () => {
    const pings = byRule(plannedPings(episode(), ctx, first), 'police-not-told');
    expect(pings.map((p) => p.key)).toEqual([key(0), key(1)]);
  });

  it('repeats contact-attempt reminders every hour from the last attempt', () => {
    const last = minutes(50);
    const e = episode({ lastContactAttemptAt: last });
    const pings = byRule(plannedPings(e, ctx, minutes(130, last)), 'contact-attempt-due');
    expect(pings.map((p) => p.dueAt)).toEqual([minutes(120, last), minutes(180, last)]);
    expect(pings.every((p) => p.key.startsWith(`ep-1/contact-attempt-due/${last.toISOString()}/`))).toBe(true);
    expect(pings[0]!.audience).toBe('thread');
  });
});

describe('after return and closure', () => {
  const returned = minutes(6 * 60);
  const back = (over: Partial<Episode> = {}) =>
    episode({
      status: 'returned',
      returnedAt: returned,
      police: policeReport,
      checklist: allTicked(establishIds),
      ...over,
    });

  it('anchors the return pings on the time the child came back', () => {
    const pings = plannedPings(back(), context(), returned);
    const due = Object.fromEntries(pings.map((p) => [p.rule, p.dueAt.getTime() - returned.getTime()]));
    const hours = (h: number) => h * 60 * 60_000;
    expect(due).toEqual({
      'police-told-of-return': 30 * 60_000,
      'rhi-24h': hours(24),
      'rhi-48h': hours(48),
      'rhi-66h-escalate': hours(66),
      'rhi-72h-breach': hours(72),
      'safe-and-well-check': hours(24),
      'risk-assessment-update': hours(48),
      'reg40-decision': 60 * 60_000,
    });
    expect(pings.every((p) => p.key.includes(`/${returned.toISOString()}/`))).toBe(true);
  });

  it('stops every still-missing reminder once the child is back', () => {
    const pings = plannedPings(back({ checklist: {} }), context(), returned);
    for (const rule of ['stage-1-open', 'police-not-told', 'contact-attempt-due', 'missing-3-days'])
      expect(byRule(pings, rule), rule).toEqual([]);
  });

  it('drops the escalation once an interview is arranged, and every interview ping once it is held', () => {
    const offered = plannedPings(
      back({ rhi: { status: 'offered', offeredAt: returned, heldAt: null } }),
      context(),
      returned,
    );
    expect(rules(offered)).toContain('rhi-24h');
    expect(rules(offered)).not.toContain('rhi-66h-escalate');
    const held = plannedPings(
      back({ rhi: { status: 'held', offeredAt: returned, heldAt: minutes(60, returned) } }),
      context(),
      returned,
    );
    expect(rules(held).filter((r) => r.startsWith('rhi-'))).toEqual([]);
    // Refused and offered again: the child's choice, recorded; no reminder and no breach.
    const reoffered = plannedPings(
      back({ rhi: { status: 'reoffered', offeredAt: minutes(60, returned), heldAt: null } }),
      context(),
      returned,
    );
    expect(rules(reoffered).filter((r) => r.startsWith('rhi-'))).toEqual([]);
  });

  it('asks about police follow-up only when the police were told in the first place', () => {
    const pings = plannedPings(back({ police: null }), context(), returned);
    expect(rules(pings)).toEqual([
      'reg40-decision',
      'rhi-24h',
      'rhi-48h',
      'rhi-66h-escalate',
      'rhi-72h-breach',
      'risk-assessment-update',
    ]);
  });

  it('keeps only the follow-ups still due once the episode is closed, and nothing once they are recorded', () => {
    const closed = back({
      status: 'closed',
      closedAt: minutes(60, returned),
      policeToldOfReturnAt: minutes(10, returned),
      checklist: {},
    });
    expect(rules(plannedPings(closed, context(), minutes(60, returned)))).toEqual([
      'reg40-decision',
      'rhi-24h',
      'rhi-48h',
      'rhi-66h-escalate',
      'rhi-72h-breach',
      'risk-assessment-update',
      'safe-and-well-check',
    ]);
    const recorded = {
      ...closed,
      checklist: { 'ofsted-decision': done(minutes(20, returned)) },
      rhi: { status: 'held' as const, offeredAt: returned, heldAt: minutes(30, returned) },
      safeAndWellAt: minutes(40, returned),
      riskAssessmentUpdatedAt: minutes(50, returned),
    };
    expect(rules(plannedPings(recorded, context(), minutes(60, returned)))).toEqual([]);
    expect(plannedPings(recorded, context(), minutes(30 * 24 * 60))).toEqual([]);
  });
});

describe('risk raised during an episode', () => {
  it('prompts a 999 call when risk rises to high after opening, at the moment it rose', () => {
    const raised = minutes(40);
    const e = episode({ riskLevel: 'high', highRiskSince: raised, police: policeReport });
    expect(only(plannedPings(e, context(), raised), 'high-risk-call-999')).toMatchObject({
      dueAt: raised,
      audience: 'on_call',
    });
  });

  it('leaves a child high-risk from the start to the police-not-told prompt, which is due at once', () => {
    const e = episode({ riskLevel: 'high', highRiskSince: opened });
    const pings = plannedPings(e, context(), opened);
    expect(byRule(pings, 'high-risk-call-999')).toEqual([]);
    expect(firstOf(pings, 'police-not-told').dueAt).toEqual(opened);
  });

  it('asks for no second 999 call when the police were told while the risk was already high', () => {
    const e = episode({
      riskLevel: 'high',
      highRiskSince: opened,
      police: { ...policeReport, grade: 'high' as const },
    });
    expect(byRule(plannedPings(e, context(), minutes(30)), 'high-risk-call-999')).toEqual([]);
    // A rise after the call is new information for them.
    const later = episode({ riskLevel: 'high', highRiskSince: minutes(25), police: policeReport });
    expect(only(plannedPings(later, context(), minutes(25)), 'high-risk-call-999').dueAt).toEqual(minutes(25));
  });
});

describe('a home policy that tightens the ladder', () => {
  const policy = homePolicySchema.parse({
    ladderMinutes: { 'stage-1-open': 10, 'missing-3-days': 24 * 60 },
    contactAttemptEveryMinutes: 30,
    extraItems: [{ id: 'check-bike-shed', stage: 'establish', label: 'Check the bike shed' }],
  });
  const tight = context({}, { protocol: effectiveProtocol(defaultProtocol, policy) });

  it('brings the stage 1 reminder and the 3-day meeting forward', () => {
    const pings = plannedPings(episode(), tight, opened);
    expect(only(pings, 'stage-1-open').dueAt).toEqual(minutes(10));
    expect(only(pings, 'missing-3-days').dueAt).toEqual(minutes(24 * 60));
    // Untouched rungs keep their defaults.
    expect(only(pings, 'missing-7-days').dueAt).toEqual(minutes(7 * 24 * 60));
    expect(only(plannedPings(episode(), context(), opened), 'stage-1-open').dueAt).toEqual(minutes(15));
  });

  it('makes contact attempts due at the home’s interval, first and every time after', () => {
    const first = byRule(plannedPings(episode(), tight, opened), 'contact-attempt-due');
    expect(first.map((p) => p.dueAt)).toEqual([minutes(30)]);
    const later = byRule(plannedPings(episode(), tight, minutes(35)), 'contact-attempt-due');
    expect(later.map((p) => p.dueAt)).toEqual([minutes(30), minutes(60)]);
  });

  it('keeps the stage 1 reminder until the home’s extra stage 1 item is dealt with too', () => {
    const checklist = allTicked(establishIds);
    expect(byRule(plannedPings(episode({ checklist }), tight, opened), 'stage-1-open')).toHaveLength(1);
    checklist['check-bike-shed'] = done();
    expect(byRule(plannedPings(episode({ checklist }), tight, opened), 'stage-1-open')).toEqual([]);
  });
});
