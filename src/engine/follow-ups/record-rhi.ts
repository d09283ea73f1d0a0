import { addEpisodeMinutes } from '../../domain/episode.ts';
import { noticeCard } from '../../messages/cards.ts';
import { formatTime, label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import { authorOf, loadForFollowUp, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread } from '../base/effects.ts';

/** Records the return home interview: offered, accepted, declined (then offered again), or held. */
export async function recordRhi(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_rhi'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadForFollowUp(tx, deps, cmd.episodeId, staff);
  const e = scope.episode;
  if (!e.returnedAt) return refuse('not_returned');
  checkTime('time', cmd.at, now);
  const at = cmd.at ?? now;
  const rhi = {
    status: cmd.status,
    // Every answer implies the interview was offered: keep the first offer's time.
    offeredAt: e.rhi.offeredAt ?? at,
    heldAt: cmd.status === 'held' ? at : e.rhi.heldAt,
  };
  await tx.episodes.update(e.id, { rhi });
  const ticked = await autoTick(tx, scope, ['offer-rhi'], staff, now);
  const due = addEpisodeMinutes(e, e.returnedAt, scope.protocol.rhiWithinHours * 60);
  let text = `Return home interview ${label(cmd.status).toLowerCase()} (${formatTime(at, scope.home.timeZone)}).`;
  if (cmd.status === 'declined')
    text += ` The offer must be made again; the 72-hour limit is ${formatTime(due, scope.home.timeZone)}.`;
  const held =
    cmd.status === 'held'
      ? {
          interviewer: cmd.interviewer ?? null,
          organisation: cmd.organisation ?? null,
          independent: cmd.independent === 'yes',
          tookPart: cmd.tookPart === 'yes',
          sharedWithSocialWorker: cmd.sharedWithSocialWorker ?? null,
        }
      : null;
  if (held)
    text += ` Held by ${held.interviewer} (${held.organisation}, independent of the home); the child ${held.tookPart ? 'took part' : 'did not take part'}. Shared with the social worker: ${held.sharedWithSocialWorker?.replace(/[.!?]*$/, '.')}`;
  if (cmd.note) text += ` ${cmd.note}`;
  await appendEntry(tx, e.id, authorOf(staff), now, {
    kind: 'rhi',
    text,
    data: { status: cmd.status, at: at.toISOString(), note: cmd.note ?? null, ticked, ...(held ? { held } : {}) },
  });
  const after = await afterChange(tx, deps, e.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text), now);
  return ok({ episodeId: e.id });
}
