import type { Card, OutboundMessage } from '../messages/outbound.ts';
import type { Timeline, TimelineItem } from '../ports/timeline.ts';
import type { Database } from './database.ts';
import { toEntry } from './mappers.ts';

const messageKinds = ['message', 'message_edited', 'message_deleted'];

/** The playground's read model over the outbox and the record. */
export function prismaTimeline(database: Database): Timeline {
  const { prisma } = database;
  return {
    async thread(episodeId, platform, channelRef) {
      const ours = await prisma.episode.findFirst({
        where: { id: episodeId, home: { channels: { some: { platform, channelRef } } } },
        select: { id: true },
      });
      if (!ours) return null;
      const sent = await prisma.outboxMessage.findMany({
        where: { episodeId, platform, status: 'sent', target: { in: ['episode_root', 'thread'] } },
        orderBy: { id: 'asc' },
      });
      const items: TimelineItem[] = [];
      const byKey = new Map<string, Extract<TimelineItem, { kind: 'card' }>>();
      for (const row of sent) {
        const message = JSON.parse(row.payloadJson) as OutboundMessage;
        // Ordered by when the card was written (with its record entry), not when it was delivered.
        const at = row.createdAt;
        const earlier = row.cardKey ? byKey.get(row.cardKey) : undefined;
        // A card updated in place keeps its first position and shows its latest content.
        if (earlier) earlier.card = message.card;
        else {
          const item = { kind: 'card' as const, id: `c${row.id}`, at, card: message.card, cardKey: row.cardKey };
          if (row.cardKey) byKey.set(row.cardKey, item);
          items.push(item);
        }
      }
      const entries = await prisma.logEntry.findMany({
        where: { episodeId, platform, kind: { in: messageKinds } },
        orderBy: { seq: 'asc' },
      });
      for (const row of entries) items.push({ kind: 'message', id: `e${row.id}`, at: row.at, entry: toEntry(row) });
      return items.sort((a, b) => a.at.getTime() - b.at.getTime());
    },
    async directMessages(platform, platformUserId, limit = 50) {
      const rows = await prisma.outboxMessage.findMany({
        where: { platform, status: 'sent', target: 'direct' },
        orderBy: { id: 'desc' },
        take: 500,
      });
      const mine: { id: string; at: Date; card: Card }[] = [];
      const byKey = new Map<string, { card: Card }>();
      for (const row of rows.reverse()) {
        const message = JSON.parse(row.payloadJson) as OutboundMessage;
        if (message.target.kind !== 'direct' || message.target.platformUserId !== platformUserId) continue;
        // A copy updated in place (a decided approval) shows its latest content where it first was.
        const earlier = row.cardKey ? byKey.get(row.cardKey) : undefined;
        if (earlier) {
          earlier.card = message.card;
          continue;
        }
        const item = { id: `d${row.id}`, at: row.createdAt, card: message.card };
        if (row.cardKey) byKey.set(row.cardKey, item);
        mine.push(item);
      }
      return mine.slice(-limit);
    },
  };
}
