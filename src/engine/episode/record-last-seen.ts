import { lastSeenText } from '../../messages/record-text.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, loadActive, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange } from '../base/effects.ts';

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
  await appendEntry(tx, e.id, authorOf(staff), now, {
    kind: 'last_seen',
    text: e.lastSeenAt ? `Corrected: ${text}` : text,
    data: { ...patch, lastSeenAt: cmd.at.toISOString(), previous: e.lastSeenAt?.toISOString() ?? null },
  });
  await afterChange(tx, deps, e.id, now);
  return ok({ episodeId: e.id });
}
