import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { demoHomesFile } from '../../src/config/env.ts';
import { HomesFileError, loadHomesFile, parseHomes, type HomesFile } from '../../src/config/homes.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { effectiveProtocol } from '../../src/protocol/policy.ts';
import { tempDir } from '../support/temp.ts';

/** A small valid home, as plain data, for each test to break in one place. */
function validHome() {
  return {
    id: 'elm-lodge',
    name: 'Elm Lodge',
    timeZone: 'Europe/London',
    shiftChanges: ['08:00', '20:00'],
    channels: { slack: 'C0ELM' },
    onCall: ['ruth'],
    rota: [] as { starts: string; days?: string[]; staff: string[] }[],
    policy: { reportAfterMinutes: 30 } as Record<string, unknown>,
    staff: [
      { id: 'ruth', name: 'Ruth Bell', role: 'manager', slack: 'U0RUTH' },
      { id: 'kai', name: 'Kai Moss', role: 'support_worker', slack: 'U0KAI' },
    ],
    children: [
      { id: 'child-cd', alias: 'CD', plan: { riskFactors: ['medical-needs'] } as Record<string, unknown> },
      { id: 'child-ef', alias: 'EF', plan: {} as Record<string, unknown> },
    ],
  };
}
type HomeDoc = ReturnType<typeof validHome>;

function parse(edit: (home: HomeDoc) => void = () => {}): HomesFile {
  const home = validHome();
  edit(home);
  return parseHomes(stringify({ homes: [home] }), 'homes.yaml', protocols);
}

/** The problems a broken document is rejected with. */
function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HomesFileError);
    return (error as HomesFileError).problems;
  }
  throw new Error('expected the configuration to be rejected, but it was accepted');
}

describe('the demo home configuration', () => {
  it('parses as shipped, with its home, staff, on-call manager and children', () => {
    const { homes } = loadHomesFile(demoHomesFile, protocols);
    expect(homes.map((h) => [h.id, h.kind])).toEqual([
      ['oak-house', 'childrens_home'],
      ['brook-fostering', 'fostering'],
    ]);
    const [home] = homes;
    expect(home).toMatchObject({ id: 'oak-house', timeZone: 'Europe/London', onCall: ['sam'] });
    expect(home!.staff.map((s) => s.id)).toEqual(['sam', 'jo', 'priya']);
    expect(home!.children.map((c) => c.alias)).toEqual(['AJ', 'BT']);
    expect(home!.children[1]!.plan).toMatchObject({ reportAfterMinutes: 0, onChildProtectionPlan: true });
    expect(home!.policy.approverRoles).toEqual(['manager', 'deputy_manager']);
  });

  it('holds a fostering service with one placement, whose manager and supervising social worker approve', () => {
    const fostering = loadHomesFile(demoHomesFile, protocols).homes[1]!;
    expect(fostering.staff.map((s) => [s.id, s.role])).toEqual([
      ['dana', 'manager'],
      ['lee', 'supervising_social_worker'],
      ['rosa', 'foster_carer'],
      ['tom', 'foster_carer'],
    ]);
    expect(fostering.onCall).toEqual(['lee']);
    expect(fostering.children.map((c) => [c.alias, c.placement])).toEqual([
      ['CM', { carers: ['rosa', 'tom'], supervisingSocialWorker: 'lee' }],
    ]);
    expect(fostering.policy.approverRoles).toEqual(['manager', 'supervising_social_worker']);
    expect(fostering.policy.exportRoles).toEqual(['manager', 'supervising_social_worker']);
  });
});

describe('a fostering service that cannot be used', () => {
  const fostering = (edit: (home: HomeDoc & { kind?: string }) => void) =>
    parse((h) => {
      Object.assign(h, { kind: 'fostering' });
      h.staff.push(
        { id: 'nia', name: 'Nia Ford', role: 'foster_carer', slack: 'U0NIA' },
        { id: 'ade', name: 'Ade Lowe', role: 'supervising_social_worker', slack: 'U0ADE' },
      );
      for (const c of h.children) Object.assign(c, { placement: { carers: ['nia'], supervisingSocialWorker: 'ade' } });
      edit(h);
    });

  it('accepts a service whose children are each placed with its carers', () => {
    expect(fostering(() => {}).homes[0]!.children[0]!.placement).toEqual({
      carers: ['nia'],
      supervisingSocialWorker: 'ade',
    });
  });

  it('names a child with no placement, and carers or a supervisor who do not hold those roles', () => {
    const problems = problemsOf(() =>
      fostering((h) => {
        delete (h.children[0] as { placement?: unknown }).placement;
        Object.assign(h.children[1]!, { placement: { carers: ['kai'], supervisingSocialWorker: 'nia' } });
      }),
    );
    expect(problems).toEqual([
      'homes[0].children[0].placement: name the foster carers and the supervising social worker',
      `homes[0].children[1].placement.carers[0]: "kai" is not a foster carer in this service's staff list`,
      `homes[0].children[1].placement.supervisingSocialWorker: "nia" is not a supervising social worker in this service's staff list`,
    ]);
  });

  it('refuses a placement in a children’s home', () => {
    const problems = problemsOf(() =>
      parse((h) => Object.assign(h.children[0]!, { placement: { carers: ['kai'], supervisingSocialWorker: 'ruth' } })),
    );
    expect(problems).toEqual(['homes[0].children[0].placement: only a child in a fostering service has a placement']);
  });

  it('checks a fostering service’s policy against the fostering procedure’s rungs', () => {
    const problems = problemsOf(() => fostering((h) => (h.policy.ladderMinutes = { 'social-workers-not-told': 10 })));
    expect(problems).toEqual([
      'homes[0].policy.ladderMinutes.social-workers-not-told: 10 minutes would loosen the protocol (the default is 5); a home may only tighten it',
    ]);
    expect(problemsOf(() => parse((h) => (h.policy.ladderMinutes = { 'social-workers-not-told': 1 })))).toEqual([
      'homes[0].policy.ladderMinutes.social-workers-not-told: there is no ladder rung "social-workers-not-told"',
    ]);
  });
});

describe('a home configuration that cannot be used', () => {
  it('accepts the valid base document the other cases break', () => {
    expect(parse().homes[0]!.id).toBe('elm-lodge');
  });

  it('names homes[0].timeZone when the time zone is not an IANA zone', () => {
    const problems = problemsOf(() => parse((h) => (h.timeZone = 'Europe/Lodnon')));
    expect(problems).toEqual(['homes[0].timeZone: is not an IANA time zone (for example Europe/London)']);
  });

  it('names the ladder rung when a policy would loosen it', () => {
    const problems = problemsOf(() => parse((h) => (h.policy.ladderMinutes = { 'stage-1-open': 20 })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^homes\[0\]\.policy\.ladderMinutes\.stage-1-open: 20 minutes would loosen/);
  });

  it('names a ladder rung that does not exist', () => {
    const problems = problemsOf(() => parse((h) => (h.policy.ladderMinutes = { 'stage-9-open': 5 })));
    expect(problems).toEqual(['homes[0].policy.ladderMinutes.stage-9-open: there is no ladder rung "stage-9-open"']);
  });

  it('refuses a policy contact interval longer than the protocol allows', () => {
    const problems = problemsOf(() => parse((h) => (h.policy.contactAttemptEveryMinutes = 90)));
    expect(problems).toEqual(['homes[0].policy.contactAttemptEveryMinutes: must be at most 60 (the default)']);
  });

  it('refuses an extra checklist item that reuses a protocol item id', () => {
    const problems = problemsOf(() =>
      parse((h) => (h.policy.extraItems = [{ id: 'report-police', stage: 'notify', label: 'Again' }])),
    );
    expect(problems).toEqual(['homes[0].policy.extraItems[0].id: "report-police" is already a protocol item']);
  });

  it('names the child, the plan and the index of an unknown risk factor', () => {
    const problems = problemsOf(() =>
      parse((h) => (h.children[0]!.plan = { riskFactors: ['medical-needs', 'moon-phase'] })),
    );
    expect(problems).toEqual(['homes[0].children[0].plan.riskFactors[1]: unknown risk factor "moon-phase"']);
  });

  it('refuses a child plan whose report-after time is later than the home allows', () => {
    const problems = problemsOf(() => parse((h) => (h.children[1]!.plan = { reportAfterMinutes: 45 })));
    expect(problems).toEqual([
      "homes[0].children[1].plan.reportAfterMinutes: 45 is later than the home's limit of 30 minutes",
    ]);
  });

  it('names the on-call entry that is not on the staff list', () => {
    const problems = problemsOf(() => parse((h) => (h.onCall = ['ruth', 'nobody'])));
    expect(problems).toEqual([`homes[0].onCall[1]: "nobody" is not in this home's staff list`]);
  });

  it('names a rota shift that is not one of the shift changes, and a person not on the staff list', () => {
    const problems = problemsOf(() =>
      parse((h) => {
        h.shiftChanges = ['07:30', '22:00'];
        h.rota = [
          { starts: '08:00', staff: ['ruth'] },
          { starts: '22:00', days: ['sat'], staff: ['nobody'] },
          { starts: '22:00', days: ['fri', 'sat'], staff: ['kai'] },
        ];
      }),
    );
    expect(problems).toEqual([
      "homes[0].rota[0].starts: 08:00 is not one of this home's shiftChanges",
      `homes[0].rota[1].staff[0]: "nobody" is not in this home's staff list`,
      'homes[0].rota[2]: the 22:00 shift on these days is in the rota already (rota[1])',
    ]);
  });

  it('refuses the same alias twice in one home, whatever the case', () => {
    const problems = problemsOf(() => parse((h) => (h.children[1]!.alias = 'cd')));
    expect(problems).toEqual(['homes[0].children[1].alias: alias "cd" is used twice in this home']);
  });

  it('refuses a home where no one can approve', () => {
    const problems = problemsOf(() => parse((h) => (h.staff[0]!.role = 'support_worker')));
    expect(problems).toEqual(['homes[0].staff: no one can approve (needs a manager or deputy_manager)']);
  });

  it('refuses an alias longer than initials allow (12 characters)', () => {
    const problems = problemsOf(() => parse((h) => (h.children[0]!.alias = 'Christopher Dean')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^homes\[0\]\.children\[0\]\.alias: /);
  });

  it('lists every problem at once, not just the first', () => {
    const problems = problemsOf(() =>
      parse((h) => {
        h.onCall = ['nobody'];
        h.children[1]!.alias = 'CD';
      }),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual(['homes[0].onCall[0]', 'homes[0].children[1].alias']);
  });

  it('says the file is not YAML, naming the file', () => {
    let error: unknown;
    try {
      parseHomes('homes:\n\t- id: x\n', 'broken.yaml', protocols);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HomesFileError);
    expect((error as HomesFileError).problems).toEqual([expect.stringMatching(/^not valid YAML: /)]);
    expect((error as Error).message).toMatch(/^The home configuration broken\.yaml is not valid:/);
  });

  it('says a YAML document of the wrong shape is wrong at the top level', () => {
    expect(problemsOf(() => parseHomes('just some words', 'words.yaml', protocols))).toEqual([
      '(top level): Invalid input: expected object, received string',
    ]);
    expect(problemsOf(() => parseHomes('homes: []', 'none.yaml', protocols))).toEqual([
      'homes: declare at least one home',
    ]);
  });

  it('says a missing file cannot be read, naming it', () => {
    const file = path.join(os.tmpdir(), `no-such-homes-${process.pid}.yaml`);
    let error: unknown;
    try {
      loadHomesFile(file, protocols);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HomesFileError);
    expect((error as HomesFileError).file).toBe(file);
    expect((error as HomesFileError).problems).toEqual(['cannot be read (ENOENT)']);
    expect((error as Error).message).toContain(file);
  });

  it('reads a valid file from disk', () => {
    const dir = tempDir('homes-test-');
    try {
      const file = path.join(dir, 'homes.yaml');
      fs.writeFileSync(file, stringify({ homes: [validHome()] }));
      expect(loadHomesFile(file, protocols).homes[0]!.name).toBe('Elm Lodge');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a home policy, applied to the protocol', () => {
  const extra = { id: 'check-bike-shed', stage: 'establish', label: 'Check the bike shed and the back lane' };

  it('adds the home’s extra checklist items to the protocol it runs', () => {
    const home = parse((h) => (h.policy.extraItems = [extra])).homes[0]!;
    const protocol = effectiveProtocol(defaultProtocol, home.policy);
    expect(protocol.checklist).toHaveLength(defaultProtocol.checklist.length + 1);
    expect(protocol.checklist.at(-1)).toEqual({ ...extra, canBeNotApplicable: true });
    // The default protocol itself is untouched: another home does not get the item.
    expect(defaultProtocol.checklist.some((i) => i.id === extra.id)).toBe(false);
  });

  it('uses the home’s tightened minutes and leaves the other rungs at their defaults', () => {
    const home = parse((h) => {
      h.policy.ladderMinutes = { 'stage-1-open': 10, 'missing-3-days': 1440 };
      h.policy.contactAttemptEveryMinutes = 30;
      h.policy.approvalTimeoutMinutes = 15;
    }).homes[0]!;
    const protocol = effectiveProtocol(defaultProtocol, home.policy);
    const rung = (id: string) => protocol.ladder.find((r) => r.id === id);
    expect(rung('stage-1-open')!.afterMinutes).toBe(10);
    expect(rung('missing-3-days')!.afterMinutes).toBe(1440);
    expect(rung('missing-7-days')!.afterMinutes).toBe(10080);
    expect(rung('contact-attempt-due')).toMatchObject({ afterMinutes: 30, repeatEveryMinutes: 30 });
    expect(protocol.contactAttemptEveryMinutes).toBe(30);
    expect(protocol.approvalTimeoutMinutes).toBe(15);
  });

  it('changes nothing for a home with the default policy', () => {
    const home = parse().homes[0]!;
    expect(effectiveProtocol(defaultProtocol, home.policy)).toEqual(defaultProtocol);
  });
});
