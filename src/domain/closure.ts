import type { Protocol } from '../protocol/schema.ts';
import type { Episode } from './episode.ts';

/**
 * What must be in the record before an episode can close. Returns plain descriptions of what is
 * missing (empty when complete), and, separately, what is still outstanding but does not block.
 */
export function closureGaps(e: Episode, protocol: Protocol): { blocking: string[]; outstanding: string[] } {
  const blocking: string[] = [];
  if (e.status === 'open') blocking.push('the child’s return');
  else {
    if (e.police && !e.policeToldOfReturnAt) blocking.push('telling the police the child is back');
    if (e.rhi.status === 'none') blocking.push('an offer of a return home interview');
    for (const item of protocol.checklist) {
      if (item.stage === 'return' && !item.canBeNotApplicable && !e.checklist[item.id])
        blocking.push(item.label.toLowerCase());
    }
  }
  const outstanding = protocol.checklist
    .filter((item) => !e.checklist[item.id] && !blocking.includes(item.label.toLowerCase()))
    .map((item) => item.label);
  return { blocking, outstanding };
}

/**
 * The statutory and agreed work after a return that is not in the record yet. Closing an episode
 * never stops it: each keeps its reminders until it is recorded.
 */
export function outstandingFollowUps(e: Episode): string[] {
  if (!e.returnedAt) return [];
  const due: string[] = [];
  if (e.rhi.status !== 'held' && e.rhi.status !== 'reoffered')
    due.push('the return home interview (held, or refused and offered again)');
  if (e.police && !e.safeAndWellAt) due.push('the police safe and well check');
  if (!e.riskAssessmentUpdatedAt) due.push('the update of the child’s risk assessment');
  return due;
}
