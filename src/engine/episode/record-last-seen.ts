import { lastSeenText } from '../../messages/record-text.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, loadActive, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import { noticeCard } from '../../messages/cards.ts';

/** Records (or corrects) when, where and by whom the child was last seen, and what they wore. */
export async function recordLastSeen(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_last_seen'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  const e = scope.episode;
  checkTime('last-seen time', cmd.at, now);
  const patch = {
    lastSeenAt: cmd.at,
    lastSeenPlace: cmd.place || e.lastSeenPlace,
    lastSeenBy: cmd.by || e.lastSeenBy,
    clothing: cmd.clothing || e.clothing,
    withWhom: cmd.withWhom || e.withWhom,
  };
  await tx.episodes.update(e.id, patch);
  const text = lastSeenText(
    {
      at: cmd.at,
      place: patch.lastSeenPlace,
      by: patch.lastSeenBy,
      clothing: patch.clothing,
      withWhom: patch.withWhom,
    },
    scope.home.timeZone,
  );
  // Recording when and where the child was last seen is what the "confirm" item asks for.
  const ticked = await autoTick(tx, scope, ['confirm-last-seen'], staff, now);
  const recorded = e.lastSeenAt ? `Corrected: ${text}` : text;
  await appendEntry(tx, e.id, authorOf(staff), now, {
    kind: 'last_seen',
    text: recorded,
    data: { ...patch, lastSeenAt: cmd.at.toISOString(), previous: e.lastSeenAt?.toISOString() ?? null, ticked },
  });
  const after = await afterChange(tx, deps, e.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(`${recorded} (recorded by ${staff.displayName})`), now);
  return ok({ episodeId: e.id, reply: noticeCard(`Thank you — recorded. ${recorded}`, 'success') });
}
