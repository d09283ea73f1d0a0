import { BOT_STAFF_ID, higherRisk } from '../../domain/episode.ts';
import { nightBegan, nightFactor } from '../../domain/history.ts';
import type { HomeRecord, Tx } from '../../ports/store.ts';
import { BOT_AUTHOR, loadScope, type EngineDeps } from '../base/context.ts';
import { applyRisk } from '../changes/risk.ts';

const NIGHT = 'night-or-weather';

/**
 * Night-time is a risk factor the bot works out. An episode that opens at night has it from the
 * start; one already open when night falls gets it then, once per night (a manager may take it
 * off again, and the bot does not put it back that night). Drills keep their own clock.
 */
export async function rateAtNightfall(tx: Tx, deps: EngineDeps, home: HomeRecord, now: Date): Promise<number> {
  const night = home.policy.nightHours;
  const began = nightBegan(now, home.timeZone, night);
  const factor = nightFactor(now, home.timeZone, night);
  if (!began || !factor) return 0;
  // Every tick of the night asks; only the first has work to do, across instances.
  if (!(await tx.events.markProcessed(`nightfall:${home.id}:${began.toISOString()}`, now))) return 0;
  let rated = 0;
  for (const e of await tx.episodes.listActive(home.id)) {
    if (e.status !== 'open' || e.isDrill || e.openedAt >= began || e.riskFactors.includes(NIGHT)) continue;
    const scope = await loadScope(tx, deps, e.id);
    const raisesTo = scope.protocol.riskFactors.find((f) => f.id === NIGHT)?.raisesTo;
    if (!raisesTo) continue;
    const reason = `Worked out by the bot: ${factor.why}`;
    await applyRisk(
      tx,
      deps,
      scope,
      BOT_STAFF_ID,
      BOT_AUTHOR,
      higherRisk(e.riskLevel, raisesTo),
      [...e.riskFactors, NIGHT],
      reason,
      now,
    );
    rated += 1;
  }
  return rated;
}
