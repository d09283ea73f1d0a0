import { noticeCard } from '../../messages/cards.ts';
import type { PolicePackInput } from '../../reports/police-pack.ts';
import type { CommandOf } from '../commands/commands.ts';
import { loadScope, requireStaff } from '../base/context.ts';
import { episodeFor, fileSafe } from './rules.ts';
import type { Drawn } from './draw-job.ts';
import type { Prepare } from './rules.ts';

/** Record entries that describe the circumstances of going missing. */
const circumstanceKinds = new Set(['last_seen', 'new_information']);

/**
 * `pack <child>`: the one-page police grab pack for the child's open episode. Anyone on the
 * home's staff may ask — whoever is on the phone to the police needs it — and it is recorded.
 */
export const preparePolicePack =
  (cmd: CommandOf<'police_pack'>): Prepare =>
  async (tx, deps) => {
    const now = deps.clock.now();
    const staff = await requireStaff(tx, cmd.actor);
    const { episode, child } = await episodeFor(tx, staff, cmd.target, { openOnly: true });
    const scope = await loadScope(tx, deps, episode.id);
    const entries = await tx.record.list(episode.id);
    const input: PolicePackInput = {
      generatedAt: now,
      generatedBy: { name: staff.displayName, role: staff.role },
      home: scope.home,
      child: { alias: child.alias, ...child.personal, plan: child.plan },
      episode: scope.episode,
      protocol: scope.protocol,
      circumstances: entries.filter((e) => circumstanceKinds.has(e.kind)).map((e) => e.text),
    };
    return {
      home: scope.home,
      staff,
      kind: 'police_pack',
      episodeId: episode.id,
      childId: child.id,
      job: { kind: 'police_pack', input },
    };
  };

/** The police grab pack's one page (off the main thread: see draw.ts). */
export async function drawPolicePack(input: PolicePackInput): Promise<Drawn> {
  const { policePackPdf } = await import('../../reports/police-pack.ts'); // where drawing happens
  return {
    files: [
      {
        name: `police-pack-${fileSafe(input.child.alias)}-${input.episode.id.slice(-8)}.pdf`,
        mimeType: 'application/pdf',
        bytes: await policePackPdf(input),
      },
    ],
    reply: noticeCard(
      `The police grab pack for ${input.child.alias}, for you only: hand it to the officer taking the report, never post it in chat.`,
    ),
  };
}
