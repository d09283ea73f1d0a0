import { followUpsDue } from '../domain/closure.ts';
import { episodesHeading, followUpsText } from '../messages/cards.ts';
import type { Episode } from '../domain/episode.ts';
import { formatDuration, formatTime, label, policeReference } from '../messages/format.ts';
import { ActionIds, type Card, type CardBlock } from '../messages/outbound.ts';
import type { Protocol } from '../protocol/schema.ts';

/** What the handover says about one open episode. */
export interface HandoverItem {
  episode: Episode;
  /** The newest piece of new information (a message, search, contact attempt, sighting). */
  latest: { text: string; at: Date; author: string } | null;
  /** Reminders already sent whose reason still holds: overdue. */
  overdue: { rule: string; dueAt: Date }[];
  /** Reminders still to come, soonest first. */
  next: { rule: string; dueAt: Date }[];
}

const rule = (id: string) => id.replaceAll('-', ' ');
const MAX_OPEN_LISTED = 6;

/** The lines of one episode's handover, shared by the on-call summary and the thread post. */
function episodeBlocks(item: HandoverItem, protocol: Protocol, timeZone: string, now: Date): CardBlock[] {
  const e = item.episode;
  const since = e.lastSeenAt ?? e.openedAt;
  const open = protocol.checklist.filter((i) => !e.checklist[i.id]);
  const done = protocol.checklist.length - open.length;
  const fields = [
    {
      label: e.status === 'open' ? 'Missing for' : 'Returned',
      value:
        e.status === 'open'
          ? `${formatDuration(now.getTime() - since.getTime())} (last seen ${formatTime(since, timeZone)})`
          : formatTime(e.returnedAt ?? now, timeZone),
    },
    { label: 'Classification / risk', value: `${label(e.classification)} / ${label(e.riskLevel)}` },
    {
      label: 'Police',
      value: e.police ? policeReference(e.police) : 'NOT YET TOLD',
    },
    { label: 'Checklist', value: `${done} done, ${open.length} outstanding` },
  ];
  const blocks: CardBlock[] = [{ type: 'fields', fields }];
  // After the return, the statutory and agreed follow-ups lead, with their deadlines.
  const due = followUpsDue(e, protocol);
  if (due.length > 0) blocks.push({ type: 'text', text: followUpsText(due, timeZone) });
  if (item.overdue.length > 0)
    blocks.push({
      type: 'text',
      text: `Overdue: ${item.overdue.map((p) => `${rule(p.rule)} (since ${formatTime(p.dueAt, timeZone)})`).join('; ')}`,
    });
  if (open.length > 0) {
    const listed = open.slice(0, MAX_OPEN_LISTED).map((i) => i.label);
    blocks.push({
      type: 'text',
      text: `Outstanding: ${listed.join('; ')}${open.length > MAX_OPEN_LISTED ? `; and ${open.length - MAX_OPEN_LISTED} more` : ''}`,
    });
  }
  blocks.push({
    type: 'text',
    text: item.latest
      ? `Latest: ${item.latest.text} (${item.latest.author}, ${formatTime(item.latest.at, timeZone)})`
      : 'Latest: no new information recorded yet.',
  });
  if (item.next.length > 0)
    blocks.push({
      type: 'text',
      text: `Next reminders: ${item.next
        .slice(0, 3)
        .map((p) => `${rule(p.rule)} at ${formatTime(p.dueAt, timeZone)}`)
        .join('; ')}`,
    });
  return blocks;
}

/**
 * The handover summary of every open episode, for the incoming on-call staff. With a handover id
 * it carries the "I accept handover" button.
 */
export function handoverCard(
  home: { name: string; timeZone: string },
  items: HandoverItem[],
  protocol: Protocol,
  now: Date,
  handoverId?: string,
): Card {
  const title = `Handover for ${episodesHeading(
    home.name,
    items.map((i) => i.episode),
  )}`;
  const blocks: CardBlock[] = [];
  if (items.length === 0) blocks.push({ type: 'text', text: 'No open episodes.' });
  for (const item of items) {
    blocks.push({
      type: 'text',
      text: `${item.episode.isDrill ? '[DRILL] ' : ''}${item.episode.alias} — ${label(item.episode.status).toLowerCase()}`,
    });
    blocks.push(...episodeBlocks(item, protocol, home.timeZone, now));
  }
  if (handoverId)
    blocks.push({
      type: 'actions',
      actions: [{ id: ActionIds.acceptHandover, label: 'I accept handover', value: handoverId, style: 'primary' }],
    });
  const urgent = items.some((i) => i.overdue.length > 0 || (i.episode.status === 'open' && !i.episode.police));
  return {
    title,
    tone: urgent ? 'urgent' : 'warning',
    blocks,
    fallback: `${title} (${formatTime(now, home.timeZone)})`,
  };
}

/** One episode's part of the handover, posted in its thread. */
export function episodeHandoverCard(item: HandoverItem, protocol: Protocol, timeZone: string, now: Date): Card {
  const title = `${item.episode.isDrill ? '[DRILL] ' : ''}Shift handover — ${item.episode.alias}`;
  return {
    title,
    tone: 'info',
    blocks: episodeBlocks(item, protocol, timeZone, now),
    fallback: `${title} (${formatTime(now, timeZone)})`,
  };
}
