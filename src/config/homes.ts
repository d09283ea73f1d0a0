import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { childPersonalSchema, childPlanSchema, placementSchema } from '../protocol/plan.ts';
import { checkPolicy, homePolicySchema, weekdays } from '../protocol/policy.ts';
import { homeKinds, type ProtocolBook } from '../protocol/protocols.ts';
import { roles, type Role } from '../protocol/schema.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lower-case letters, digits, dashes or underscores');
const platformId = z.string().trim().min(1).max(256);

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone (for example Europe/London)');

const staffSchema = z.object({
  id,
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles),
  slack: platformId.optional(),
  teams: platformId.optional(),
  web: platformId.optional(),
});

const childSchema = z.object({
  id,
  alias: z
    .string()
    .trim()
    .min(1)
    .max(12)
    .regex(/^[\p{L}\p{N} .'-]+$/u, 'use letters and digits only (initials, not a full name)'),
  ...childPersonalSchema.shape,
  plan: childPlanSchema.default(childPlanSchema.parse({})),
  /** In a fostering service: the carers the child is placed with and their supervising social worker. */
  placement: placementSchema.optional(),
});

/**
 * Who approves and exports in a fostering service unless its policy says: the registered manager
 * and the supervising social workers (a children's home's managers and deputies are the policy's
 * own default).
 */
const FOSTERING_ROLES: Role[] = ['manager', 'supervising_social_worker'];

/** Fills in a fostering service's default approver and export roles before the policy's own defaults. */
function withKindDefaults(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== 'fostering') return raw;
  const home = raw as { policy?: unknown };
  // A policy that is not a mapping is left for the schema to name.
  if (home.policy !== undefined && (typeof home.policy !== 'object' || home.policy === null)) return raw;
  const policy = (home.policy ?? {}) as Record<string, unknown>;
  return {
    ...home,
    policy: {
      ...policy,
      approverRoles: policy.approverRoles ?? FOSTERING_ROLES,
      exportRoles: policy.exportRoles ?? FOSTERING_ROLES,
    },
  };
}

const homeSchema = z.object({
  id,
  name: z.string().trim().min(1).max(200),
  /** A children's home (the default) or a fostering service: which procedure the home runs. */
  kind: z.enum(homeKinds).default('childrens_home'),
  timeZone,
  shiftChanges: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM')).default([]),
  channels: z
    .object({ slack: platformId.optional(), teams: platformId.optional(), web: platformId.optional() })
    .default({}),
  onCall: z.array(id).default([]),
  /**
   * Who comes on at each shift change (its local start time, and the weekdays it covers, every day
   * if none): the handover goes to them. A shift change the rota does not cover goes to the on-call.
   */
  rota: z
    .array(
      z.object({
        starts: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM'),
        days: z.array(z.enum(weekdays)).min(1).optional(),
        staff: z.array(id).min(1, 'name who is on this shift'),
      }),
    )
    .default([]),
  policy: homePolicySchema,
  staff: z.array(staffSchema).min(1, 'list at least one member of staff'),
  children: z.array(childSchema).default([]),
});

export const homesFileSchema = z.object({
  homes: z.array(z.preprocess(withKindDefaults, homeSchema)).min(1, 'declare at least one home'),
});
export type HomesFile = z.infer<typeof homesFileSchema>;
export type HomeConfig = HomesFile['homes'][number];

/** A home-configuration file that cannot be used, with every problem naming its field. */
export class HomesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The home configuration ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'HomesFileError';
  }
}

const fieldPath = (path: PropertyKey[]) =>
  path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );

/** Checks what the schema cannot: cross-references, uniqueness and the protocol's limits. */
function crossCheck(file: HomesFile, book: ProtocolBook): string[] {
  const problems: string[] = [];
  const seen = {
    home: new Set<string>(),
    staff: new Set<string>(),
    child: new Set<string>(),
    identity: new Set<string>(),
    channel: new Set<string>(),
  };
  file.homes.forEach((home, h) => {
    const at = (...rest: PropertyKey[]) => fieldPath(['homes', h, ...rest]);
    const protocol = book[home.kind];
    const factorIds = new Set(protocol.riskFactors.map((f) => f.id));
    if (seen.home.has(home.id)) problems.push(`${at('id')}: home id "${home.id}" is used twice`);
    seen.home.add(home.id);
    for (const p of checkPolicy(protocol, home.policy)) problems.push(`${at('policy', ...p.path)}: ${p.message}`);
    for (const [platform, ref] of Object.entries(home.channels)) {
      const key = `${platform}:${ref}`;
      if (seen.channel.has(key))
        problems.push(`${at('channels', platform)}: channel "${ref}" belongs to another home already`);
      seen.channel.add(key);
    }
    const staffIds = new Set(home.staff.map((s) => s.id));
    home.onCall.forEach((s, i) => {
      if (!staffIds.has(s)) problems.push(`${at('onCall', i)}: "${s}" is not in this home's staff list`);
    });
    home.rota.forEach((shift, r) => {
      const clash = home.rota.findIndex(
        (other, o) =>
          o < r &&
          other.starts === shift.starts &&
          (!other.days || !shift.days || other.days.some((d) => shift.days!.includes(d))),
      );
      if (clash >= 0)
        problems.push(
          `${at('rota', r)}: the ${shift.starts} shift on these days is in the rota already (rota[${clash}])`,
        );
      if (!home.shiftChanges.includes(shift.starts))
        problems.push(`${at('rota', r, 'starts')}: ${shift.starts} is not one of this home's shiftChanges`);
      shift.staff.forEach((s, i) => {
        if (!staffIds.has(s)) problems.push(`${at('rota', r, 'staff', i)}: "${s}" is not in this home's staff list`);
      });
    });
    if (!home.staff.some((s) => home.policy.approverRoles.includes(s.role)))
      problems.push(`${at('staff')}: no one can approve (needs a ${home.policy.approverRoles.join(' or ')})`);
    home.staff.forEach((s, i) => {
      if (seen.staff.has(s.id)) problems.push(`${at('staff', i, 'id')}: staff id "${s.id}" is used twice`);
      seen.staff.add(s.id);
      for (const platform of ['slack', 'teams', 'web'] as const) {
        const ref = s[platform];
        if (!ref) continue;
        if (seen.identity.has(`${platform}:${ref}`))
          problems.push(`${at('staff', i, platform)}: "${ref}" is given to two people`);
        seen.identity.add(`${platform}:${ref}`);
      }
    });
    const aliases = new Set<string>();
    home.children.forEach((c, i) => {
      if (seen.child.has(c.id)) problems.push(`${at('children', i, 'id')}: child id "${c.id}" is used twice`);
      seen.child.add(c.id);
      if (aliases.has(c.alias.toLowerCase()))
        problems.push(`${at('children', i, 'alias')}: alias "${c.alias}" is used twice in this home`);
      aliases.add(c.alias.toLowerCase());
      c.plan.riskFactors.forEach((f, j) => {
        if (!factorIds.has(f))
          problems.push(`${at('children', i, 'plan', 'riskFactors', j)}: unknown risk factor "${f}"`);
      });
      problems.push(...placementProblems(home, c, (...rest) => at('children', i, ...rest)));
      if (c.plan.reportAfterMinutes !== undefined && c.plan.reportAfterMinutes > home.policy.reportAfterMinutes)
        problems.push(
          `${at('children', i, 'plan', 'reportAfterMinutes')}: ${c.plan.reportAfterMinutes} is later than the home's limit of ${home.policy.reportAfterMinutes} minutes`,
        );
    });
  });
  return problems;
}

/**
 * A child in foster care is placed with carers of this service, supervised by one of its
 * supervising social workers; a child in a children's home has no placement.
 */
function placementProblems(
  home: HomeConfig,
  child: HomeConfig['children'][number],
  at: (...rest: PropertyKey[]) => string,
): string[] {
  if (home.kind !== 'fostering')
    return child.placement ? [`${at('placement')}: only a child in a fostering service has a placement`] : [];
  if (!child.placement) return [`${at('placement')}: name the foster carers and the supervising social worker`];
  const roleOf = new Map(home.staff.map((s) => [s.id, s.role]));
  const problems: string[] = [];
  child.placement.carers.forEach((carer, k) => {
    if (roleOf.get(carer) !== 'foster_carer')
      problems.push(`${at('placement', 'carers', k)}: "${carer}" is not a foster carer in this service's staff list`);
  });
  const ssw = child.placement.supervisingSocialWorker;
  if (roleOf.get(ssw) !== 'supervising_social_worker')
    problems.push(
      `${at('placement', 'supervisingSocialWorker')}: "${ssw}" is not a supervising social worker in this service's staff list`,
    );
  return problems;
}

/** Parses and checks a home-configuration document; throws HomesFileError naming each bad field. */
export function parseHomes(text: string, file: string, book: ProtocolBook): HomesFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new HomesFileError(file, [
      `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    ]);
  }
  const parsed = homesFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new HomesFileError(
      file,
      parsed.error.issues.map((i) => `${fieldPath(i.path) || '(top level)'}: ${i.message}`),
    );
  const problems = crossCheck(parsed.data, book);
  if (problems.length > 0) throw new HomesFileError(file, problems);
  return parsed.data;
}

/** Reads the home-configuration file named by HOMES_FILE. */
export function loadHomesFile(file: string, book: ProtocolBook): HomesFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new HomesFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseHomes(text, file, book);
}
