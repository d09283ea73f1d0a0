/**
 * Teams thread refs: the opaque strings the engine stores for an episode's thread. One holds
 * everything a proactive post into the thread needs — the conversation id of the reply chain
 * (`19:…@thread.tacv2;messageid=<root>`), the tenant and the connector's serviceUrl — so a
 * reminder can be sent after a restart, from any instance, without another table.
 */

export interface ThreadAddress {
  /** The reply chain's conversation id: the channel id with `;messageid=<root message id>`. */
  conversationId: string;
  tenantId: string;
  serviceUrl: string;
}

const PREFIX = 'teams1';
/** The engine takes refs of at most 256 characters. */
const MAX_REF = 256;

/** A serviceUrl written one way, so the same thread always encodes to the same ref. */
export const normaliseServiceUrl = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The channel a conversation id belongs to (the part before `;messageid=`). */
export const channelOf = (conversationId: string) => conversationId.split(';')[0] ?? conversationId;

/** The root message of a reply chain, if the conversation id names one. */
export function rootMessageOf(conversationId: string): string | null {
  return /;messageid=([^;]+)/.exec(conversationId)?.[1] ?? null;
}

/** The reply chain under a channel's root message. */
export const threadConversation = (channelId: string, rootMessageId: string) =>
  `${channelOf(channelId)};messageid=${rootMessageId}`;

export function encodeThreadRef(a: ThreadAddress): string {
  const full = [PREFIX, a.tenantId, normaliseServiceUrl(a.serviceUrl), a.conversationId].join('|');
  // A very long channel id could push the ref past the limit: the serviceUrl is then left out and
  // taken from what the adapter has learnt (or its default) when posting.
  return full.length <= MAX_REF ? full : [PREFIX, a.tenantId, '', a.conversationId].join('|');
}

/** The parts of a thread ref, or null if it is not one of ours. */
export function decodeThreadRef(
  ref: string,
): { conversationId: string; tenantId: string; serviceUrl: string | null } | null {
  const [prefix, tenantId, serviceUrl, ...rest] = ref.split('|');
  const conversationId = rest.join('|');
  if (prefix !== PREFIX || !tenantId || !conversationId) return null;
  return { conversationId, tenantId, serviceUrl: serviceUrl || null };
}
