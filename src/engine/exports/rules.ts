import { createHash, randomBytes } from 'node:crypto';
import { label } from '../../messages/format.ts';
import type { DrawJob, MadeFile } from './draw-job.ts';
import type { OutboundFile } from '../../messages/outbound.ts';
import type { ChildRecord, HomeRecord, PastEpisode, StaffRecord, Tx } from '../../ports/store.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, fail, refuse, type EngineDeps, type Result } from '../base/context.ts';
import type { CommandOf } from '../commands/commands.ts';

/** Where the bot serves one-time downloads: `<publicUrl>/exports/<token>`. */
export const DOWNLOAD_PATH = '/exports/';
/** How long a download link works (once). */
export const DOWNLOAD_MINUTES = 30;
/** What each kind of export is called in the record and the refusal. */
export const exportWords = {
  record: 'the episode record',
  police_pack: 'the police grab pack',
  patterns: 'the patterns report',
  returns: 'the returns data',
} as const;
export type ExportKind = keyof typeof exportWords;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
/** The hash a download token is stored and looked up by (the token itself is never stored). */
export const tokenHash = (token: string) => sha256(token);

/** Whether the home's policy lets this person's role export. */
export const mayExport = (home: HomeRecord, staff: StaffRecord) => home.policy.exportRoles.includes(staff.role);

/**
 * Refuses an export and keeps the attempt: in the export log, and in the episode's record when it
 * is about one episode. The refusal is committed, not rolled back.
 */
export async function refuseExport(
  tx: Tx,
  deps: EngineDeps,
  a: { home: HomeRecord; staff: StaffRecord; kind: ExportKind; episodeId: string | null; childId: string | null },
): Promise<Result> {
  const now = deps.clock.now();
  const roles = a.home.policy.exportRoles.map((r) => label(r).toLowerCase());
  await tx.exports.log({
    homeId: a.home.id,
    episodeId: a.episodeId,
    childId: a.childId,
    staffId: a.staff.id,
    kind: a.kind,
    outcome: 'refused',
    at: now,
    detail: { role: a.staff.role, allowed: a.home.policy.exportRoles },
  });
  if (a.episodeId)
    await appendEntry(tx, a.episodeId, authorOf(a.staff), now, {
      kind: 'export_refused',
      text: `${a.staff.displayName} (${label(a.staff.role).toLowerCase()}) asked for ${exportWords[a.kind]} and was refused: only ${roles.join(' or ')} may export it.`,
      data: { what: a.kind },
    });
  return fail('not_allowed_to_export', { roles, what: exportWords[a.kind] });
}

/**
 * Logs an export (who, when, what: each file's name, size and sha256) and readies its files for
 * the person: as bytes for the adapter to upload to them, and, for `link`, kept for one download.
 */
export async function handOver(
  tx: Tx,
  deps: EngineDeps,
  a: {
    home: HomeRecord;
    staff: StaffRecord;
    kind: ExportKind;
    episodeId: string | null;
    childId: string | null;
    files: MadeFile[];
    delivery: 'attachment' | 'link';
    detail?: Record<string, unknown>;
  },
): Promise<OutboundFile[]> {
  const now = deps.clock.now();
  const described = a.files.map((f) => ({
    name: f.name,
    mimeType: f.mimeType,
    size: f.bytes.byteLength,
    sha256: sha256(f.bytes),
  }));
  const exportId = await tx.exports.log({
    homeId: a.home.id,
    episodeId: a.episodeId,
    childId: a.childId,
    staffId: a.staff.id,
    kind: a.kind,
    outcome: 'delivered',
    at: now,
    detail: { ...a.detail, delivery: a.delivery, files: described },
  });
  if (a.episodeId)
    await appendEntry(tx, a.episodeId, authorOf(a.staff), now, {
      kind: 'record_exported',
      text: `${a.staff.displayName} (${label(a.staff.role).toLowerCase()}) exported ${exportWords[a.kind]} (${a.files.map((f) => f.name).join(', ')}), handed to them privately.`,
      data: { what: a.kind, exportId, delivery: a.delivery, files: described },
    });
  const expiresAt = new Date(now.getTime() + DOWNLOAD_MINUTES * 60_000);
  const out: OutboundFile[] = [];
  for (const [i, file] of a.files.entries()) {
    if (a.delivery === 'attachment') {
      out.push(file);
      continue;
    }
    const token = randomBytes(32).toString('base64url');
    await tx.exports.putFile({
      exportId,
      tokenHash: tokenHash(token),
      name: file.name,
      mimeType: file.mimeType,
      content: file.bytes,
      sha256: described[i]!.sha256,
      createdAt: now,
      expiresAt,
    });
    const base = (deps.publicUrl ?? '').replace(/\/+$/, '');
    out.push({ ...file, link: { url: `${base}${DOWNLOAD_PATH}${token}`, expiresAt } });
  }
  return out;
}

/** The child an alias names in the person's home, or a refusal naming the children there. */
export async function childOf(tx: Tx, staff: StaffRecord, alias: string): Promise<ChildRecord> {
  const child = await tx.children.findByAlias(staff.homeId, alias.trim());
  if (child) return child;
  const known = (await tx.children.listForHome(staff.homeId)).filter((c) => c.active).map((c) => c.alias);
  return refuse('unknown_child', { alias: alias.trim().slice(0, 40), known });
}

/**
 * The episode a person means: an episode id of their home, or a child's alias (the open episode,
 * else the latest). Drills count: a drill's record can be exported like any other.
 */
export async function episodeFor(
  tx: Tx,
  staff: StaffRecord,
  target: string,
  opts: { openOnly: boolean },
): Promise<{ episode: PastEpisode; child: ChildRecord }> {
  const byId = await tx.episodes.get(target.trim());
  const child =
    byId && byId.homeId === staff.homeId ? await tx.children.get(byId.childId) : await childOf(tx, staff, target);
  if (!child) return refuse('unknown_episode');
  const episodes = await tx.history.episodes(staff.homeId, child.id);
  const episode = byId
    ? episodes.find((e) => e.id === byId.id)
    : // The child's missing episode first, then the latest not yet closed, then (for the record) the latest.
      (episodes.find((e) => e.status === 'open') ??
      episodes.findLast((e) => e.status !== 'closed') ??
      (opts.openOnly ? undefined : episodes.at(-1)));
  if (!episode || (opts.openOnly && episode.status === 'closed'))
    return refuse('nothing_to_export', { target: child.alias, open: opts.openOnly ? 'yes' : 'no' });
  return { episode, child };
}

/** A file name part that is safe everywhere (aliases are initials, but be sure). */
export const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 40) || 'child';

export type ExportCommand = CommandOf<'export_record' | 'police_pack' | 'patterns' | 'returns_csv'>;
export const exportCommandTypes: ReadonlySet<string> = new Set([
  'export_record',
  'police_pack',
  'patterns',
  'returns_csv',
]);

/** What an export read and checked, and what to draw once the transaction is over (plain data: see draw.ts). */
export interface Prepared {
  home: HomeRecord;
  staff: StaffRecord;
  kind: ExportKind;
  episodeId: string | null;
  childId: string | null;
  job: DrawJob;
}
/** Reads and checks access inside a transaction: what to draw, or a result (a refusal, committed). */
export type Prepare = (tx: Tx, deps: EngineDeps) => Promise<Prepared | Result>;
