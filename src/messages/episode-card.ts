import { followUpsDue } from '../domain/closure.ts';
import type { Episode } from '../domain/episode.ts';
import type { Protocol } from '../protocol/schema.ts';
import { drillMark, followUpsText } from './cards.ts';
import { formatDuration, formatTime, label, policeReference } from './format.ts';
import type { Card, CardBlock } from './outbound.ts';

/** What the episode card shows besides the episode itself, worked out by the engine. */
export interface EpisodeCardView {
  episode: Episode;
  protocol: Protocol;
  timeZone: string;
  /** When the card is drawn: the "missing for" count is as of this time, and says so. */
  now: Date;
  openedBy: string;
  /** The next reminder the schedule holds: what, when, and who it is for. */
  next: { title: string; dueAt: Date; forWhom: string } | null;
  /** While the police must still be told: by when. */
  policeDueBy: Date | null;
}

const statusTitle = (e: Episode) =>
  e.status === 'open'
    ? `${label(e.classification).toLowerCase()} from care`
    : e.status === 'returned'
      ? 'returned'
      : 'episode closed';

/**
 * The episode's card at the top of its thread: the one thing people scan at 3 a.m. It is drawn
 * again on every change, so it always says where the episode stands now.
 */
export function episodeCard(view: EpisodeCardView): Card {
  const { episode: e, protocol, timeZone: tz, now } = view;
  const title = `${drillMark(e)}${e.alias} — ${statusTitle(e)}`;
  const since = e.lastSeenAt ?? e.openedAt;
  const factors = e.riskFactors.map((id) => protocol.riskFactors.find((f) => f.id === id)?.label ?? id);
  const fields = [
    { label: 'Status', value: statusValue(e, tz, now, since) },
    { label: 'Classification', value: label(e.classification) },
    { label: 'Risk', value: factors.length ? `${label(e.riskLevel)}: ${factors.join('; ')}` : label(e.riskLevel) },
    { label: 'Last seen', value: lastSeenValue(e, tz) },
    { label: 'Police', value: policeValue(e, protocol, tz, now, view.policeDueBy) },
    { label: 'Opened', value: `${formatTime(e.openedAt, tz)} by ${view.openedBy}` },
  ];
  if (e.historyNote) fields.push({ label: 'History', value: e.historyNote });
  const blocks: CardBlock[] = [{ type: 'fields', fields }];
  const due = followUpsDue(e, protocol);
  if (due.length > 0) blocks.push({ type: 'text', text: followUpsText(due, tz) });
  if (view.next)
    blocks.push({
      type: 'text',
      text: `Next reminder: ${view.next.title} — ${formatTime(view.next.dueAt, tz)}, for ${view.next.forWhom}.`,
    });
  blocks.push({
    type: 'text',
    text:
      e.status === 'closed'
        ? 'This episode is closed. The record stays; anything still due after the return keeps its reminders.'
        : 'Everything written in this thread is part of the legal record. When in doubt, treat the child as missing. Never wait for an approval to call the police.',
  });
  const tone: Card['tone'] = e.status === 'open' ? 'urgent' : due.length > 0 ? 'warning' : 'success';
  return { title, tone, blocks, fallback: `${title}. ${fields.map((f) => `${f.label}: ${f.value}`).join('. ')}.` };
}

function statusValue(e: Episode, tz: string, now: Date, since: Date): string {
  if (e.status === 'open')
    return `${label(e.classification)} for ${formatDuration(now.getTime() - since.getTime())} (as of ${formatTime(now, tz)})`;
  const away = e.returnedAt ? ` after ${formatDuration(e.returnedAt.getTime() - since.getTime())}` : '';
  const back = e.returnedAt ? `Returned ${formatTime(e.returnedAt, tz)}${away}` : 'Returned';
  return e.status === 'closed' && e.closedAt ? `${back}; closed ${formatTime(e.closedAt, tz)}` : back;
}

function lastSeenValue(e: Episode, tz: string): string {
  if (!e.lastSeenAt) return 'not recorded yet';
  const where = e.lastSeenPlace ? ` at ${e.lastSeenPlace}` : '';
  const by = e.lastSeenBy ? `, seen by ${e.lastSeenBy}` : '';
  return `${formatTime(e.lastSeenAt, tz)}${where}${by}`;
}

function policeValue(e: Episode, protocol: Protocol, tz: string, now: Date, dueBy: Date | null): string {
  if (e.police) {
    const back = e.policeToldOfReturnAt ? `; told of the return ${formatTime(e.policeToldOfReturnAt, tz)}` : '';
    return `Reported ${formatTime(e.police.reportedAt, tz)}, ${policeReference(e.police)}, graded ${label(e.police.grade).toLowerCase()}${back}`;
  }
  if (e.policeNotRequiredAt)
    return `Not reported: ${protocol.policeDecidedBy === 'manager' ? 'a manager agreed' : 'the child’s social worker decided'} it was not required (${formatTime(e.policeNotRequiredAt, tz)})`;
  if (!dueBy) return 'Not told';
  const urgent = e.riskLevel === 'high' ? ' — high risk: call 999' : '';
  return dueBy <= now
    ? `Not told yet: due since ${formatTime(dueBy, tz)}${urgent}`
    : `Not told yet: report by ${formatTime(dueBy, tz)}${urgent}`;
}
