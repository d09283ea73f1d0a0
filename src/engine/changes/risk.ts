import { noticeCard } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { RiskLevel } from '../../protocol/schema.ts';
import type { authorOf, EngineDeps, EpisodeScope } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';

/** Records a risk change; a rise to high stamps the time the "call 999 now" prompt counts from. */
export async function applyRisk(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  byStaffId: string,
  author: ReturnType<typeof authorOf>,
  level: RiskLevel,
  factors: string[],
  reason: string,
  at: Date,
): Promise<void> {
  const from = scope.episode.riskLevel;
  await tx.episodes.update(scope.episode.id, { riskLevel: level, riskFactors: factors });
  await tx.episodes.addRisk(scope.episode.id, { level, factors, source: 'internal', at, byStaffId, reason });
  const factorLabels = factors.map((f) => scope.protocol.riskFactors.find((r) => r.id === f)?.label ?? f);
  await appendEntry(tx, scope.episode.id, author, at, {
    kind: 'risk',
    text: `Risk ${from === level ? 'reviewed' : `changed from ${label(from).toLowerCase()} to ${label(level).toLowerCase()}`}. Reason: ${reason}${factorLabels.length ? `. Factors: ${factorLabels.join('; ')}` : ''}`,
    data: { from, to: level, factors, reason },
  });
  const after = await afterChange(tx, deps, scope.episode.id, at);
  const tone = level === 'high' ? 'urgent' : 'info';
  await postToThread(tx, after, noticeCard(`Risk is now ${label(level).toLowerCase()} (${author.name}).`, tone), at);
}
