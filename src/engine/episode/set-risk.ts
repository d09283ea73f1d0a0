import { higherRisk, isRiskDowngrade } from '../../domain/episode.ts';
import { noticeCard } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { RiskLevel } from '../../protocol/schema.ts';
import type { CommandOf } from '../commands/commands.ts';
import { authorOf, loadActive, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { applyRisk } from '../changes/risk.ts';
import { requestApproval } from '../approvals/request-approval.ts';

/**
 * Sets the internal risk rating and its factors. Raising is immediate and never gated (a move
 * to high prompts a 999 call at once); lowering asks a manager.
 */
export async function setRisk(tx: Tx, deps: EngineDeps, cmd: CommandOf<'set_risk'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  const unknown = cmd.factors.filter((f) => !scope.protocol.riskFactors.some((r) => r.id === f));
  if (unknown.length > 0) return refuse('invalid_input', { problems: [`unknown risk factor ${unknown.join(', ')}`] });
  const reason = cmd.reason.trim();
  if (!reason) return refuse('reason_required');
  // A factor that raises the rating wins over a lower level typed by hand.
  const level = cmd.factors.reduce<RiskLevel>(
    (l, f) => higherRisk(l, scope.protocol.riskFactors.find((r) => r.id === f)!.raisesTo),
    cmd.level,
  );
  const factors = [...new Set([...scope.episode.riskFactors, ...cmd.factors])];
  if (isRiskDowngrade(scope.episode.riskLevel, level)) {
    await requestApproval(
      tx,
      scope,
      staff,
      'downgrade_risk',
      { from: scope.episode.riskLevel, to: level, reason },
      now,
    );
    return ok({
      episodeId: scope.episode.id,
      reply: noticeCard(
        `A manager has been asked to approve lowering the risk to ${label(level).toLowerCase()}. Until then it stays ${label(scope.episode.riskLevel).toLowerCase()}.`,
      ),
    });
  }
  if (level === scope.episode.riskLevel && factors.length === scope.episode.riskFactors.length)
    return refuse('no_change');
  await applyRisk(tx, deps, scope, staff.id, authorOf(staff), level, factors, reason, now);
  return ok({ episodeId: scope.episode.id });
}
