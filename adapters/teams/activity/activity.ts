import { createHash } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Actor } from '../../../src/engine/commands/commands.ts';
import { channelOf, normaliseServiceUrl } from './thread-ref.ts';

/** The staff identity Teams gives us: the person's Entra object id (what homes list as `teams`). */
export function actorOf(a: Partial<Activity>): Actor {
  const from = a.from;
  const userId = from?.aadObjectId || from?.id || 'unknown';
  return { platform: 'teams', userId, ...(from?.name ? { displayName: from.name.slice(0, 200) } : {}) };
}

export const tenantOf = (a: Partial<Activity>): string | undefined =>
  a.conversation?.tenantId || (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;

export const serviceUrlOf = (a: Partial<Activity>) => (a.serviceUrl ? normaliseServiceUrl(a.serviceUrl) : undefined);

export const isChannel = (a: Partial<Activity>) => a.conversation?.conversationType === 'channel';
export const isPersonal = (a: Partial<Activity>) => a.conversation?.conversationType === 'personal';

/** The channel a channel activity happened in (the home is looked up by it). */
export function channelIdOf(a: Partial<Activity>): string | undefined {
  if (!isChannel(a)) return undefined;
  const data = a.channelData as { channel?: { id?: string } } | undefined;
  return data?.channel?.id || (a.conversation?.id ? channelOf(a.conversation.id) : undefined);
}

interface Mention {
  type?: string;
  text?: string;
  mentioned?: { id?: string };
}
const mentions = (a: Partial<Activity>) => (a.entities ?? []).filter((e) => e.type === 'mention') as Mention[];

/** Whether the bot itself was @mentioned. */
export const mentionsBot = (a: Partial<Activity>) => mentions(a).some((m) => m.mentioned?.id === a.recipient?.id);

const entities: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (text: string) => text.replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e);

/** The words of a message as the record keeps them: mentions as @Name, no markup. */
export function plainText(a: Partial<Activity>): string {
  const text = (a.text ?? '').replace(/<at[^>]*>(.*?)<\/at>/gis, '@$1').replace(/<[^>]+>/g, '');
  return decode(text).trim();
}

/**
 * The words after `missing`, or null if the message is not a command. The bot's own @mention is
 * dropped first; in a personal chat the word `missing` may be left out.
 */
export function commandWords(a: Partial<Activity>): string | null {
  let text = a.text ?? '';
  for (const m of mentions(a)) if (m.mentioned?.id === a.recipient?.id && m.text) text = text.split(m.text).join(' ');
  const words = decode(text.replace(/<[^>]+>/g, ' ')).trim();
  const match = /^\/?missing\b(.*)$/is.exec(words);
  if (match) return match[1] ?? '';
  return isPersonal(a) && words ? words : null;
}

/** Names of the files attached to a message (the record notes them; the content stays in Teams). */
export function fileNames(a: Partial<Activity>): string[] {
  return (a.attachments ?? [])
    .filter((f) => f.contentType !== 'text/html' && !f.contentType?.startsWith('application/vnd.microsoft.card'))
    .map((f) => (f.name || f.contentType || 'file').slice(0, 500))
    .slice(0, 100);
}

/**
 * An activity's identity for "processed once": Teams makes an activity id unique only within its
 * conversation, so the conversation is part of it (hashed, to keep the key short).
 */
export function activityKey(kind: string, a: Partial<Activity>): string {
  const conversation = createHash('sha256')
    .update(a.conversation?.id ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${kind}:${conversation}:${a.id ?? ''}`;
}
