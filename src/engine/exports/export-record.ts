import { noticeCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import { buildRecordDocument, recordJson, type RecordInput } from '../../reports/record-document.ts';
import type { CommandOf } from '../commands/commands.ts';
import { BOT_AUTHOR, loadScope, requireStaff } from '../base/context.ts';
import { BOT_STAFF_ID } from '../../domain/episode.ts';
import { episodeFor, fileSafe, mayExport, refuseExport } from './rules.ts';
import type { Drawn } from './draw-job.ts';
import type { Prepare } from './rules.ts';

/** The people of a home by id, for the names and roles in the record. */
async function peopleOf(tx: Tx, homeId: string): Promise<Map<string, { name: string; role: string }>> {
  const people = new Map<string, { name: string; role: string }>(
    (await tx.staff.listForHome(homeId)).map((s) => [s.id, { name: s.displayName, role: s.role }]),
  );
  return people.set(BOT_STAFF_ID, { name: BOT_AUTHOR.name, role: 'bot' });
}

/**
 * `export <child or episode>`: the complete record of one episode as PDF and JSON, for the
 * requester only, if the home's policy lets their role export. Refusals and exports are recorded.
 */
export const prepareRecord =
  (cmd: CommandOf<'export_record'>): Prepare =>
  async (tx, deps) => {
    const now = deps.clock.now();
    const staff = await requireStaff(tx, cmd.actor);
    const { episode, child } = await episodeFor(tx, staff, cmd.target, { openOnly: false });
    const scope = await loadScope(tx, deps, episode.id);
    const home = scope.home;
    if (!mayExport(home, staff))
      return refuseExport(tx, deps, { home, staff, kind: 'record', episodeId: episode.id, childId: child.id });
    const input: RecordInput = {
      generatedAt: now,
      generatedBy: { name: staff.displayName, role: staff.role },
      home,
      child: { id: child.id, alias: child.alias, ...child.personal },
      episode,
      protocol: scope.protocol,
      people: await peopleOf(tx, home.id),
      classifications: await tx.episodes.classificationHistory(episode.id),
      risks: await tx.history.risks(episode.id),
      notifications: await tx.history.notifications(episode.id),
      contactAttempts: await tx.history.contactAttempts(episode.id),
      approvals: await tx.history.approvals(episode.id),
      entries: await tx.record.list(episode.id),
    };
    return { home, staff, kind: 'record', episodeId: episode.id, childId: child.id, job: { kind: 'record', input } };
  };

/** The record's files: its PDF and JSON (off the main thread: see draw.ts). */
export async function drawRecord(input: RecordInput): Promise<Drawn> {
  // Loaded where drawing happens (the worker): the PDF library and its fonts stay off the main thread.
  const { recordPdf } = await import('../../reports/record-pdf.ts');
  const { child, episode, home } = input;
  const document = buildRecordDocument(input);
  const base = `record-${fileSafe(child.alias)}-${document.episode.openedAt.iso.slice(0, 10)}-${episode.id.slice(-8)}`;
  const text = `The record of ${child.alias}’s episode opened ${formatTime(episode.openedAt, home.timeZone)} (${document.entries.length} entries), as PDF and JSON, for you only. ${document.verification.statement}`;
  return {
    files: [
      { name: `${base}.pdf`, mimeType: 'application/pdf', bytes: await recordPdf(document) },
      { name: `${base}.json`, mimeType: 'application/json', bytes: new TextEncoder().encode(recordJson(document)) },
    ],
    reply: noticeCard(text, document.verification.ok ? 'success' : 'urgent'),
    detail: { entries: document.entries.length, chainOk: document.verification.ok, digest: document.digest },
  };
}
