import type { Activity, ConversationParameters } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Card } from '../../src/messages/outbound.ts';
import { DeliveryError, type ChatPlatform } from '../../src/ports/chat.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { deliveryError, type CallKind } from './delivery-error.ts';
import type { TeamsAddress, TeamsReferenceStore } from './references.ts';
import { cardActivities } from './render/card.ts';
import { decodeThreadRef, encodeThreadRef, rootMessageOf, threadConversation } from './activity/thread-ref.ts';

/** Runs fn with a connector client signed in for a serviceUrl (see connector.ts). */
export type Connector = <T>(
  serviceUrl: string,
  conversationId: string,
  fn: (client: ConnectorClient) => Promise<T>,
) => Promise<T>;

type Message = ReturnType<typeof cardActivities>[number];
const asActivity = (m: Message) => m as unknown as Activity;

/**
 * The outbox's way into Teams: an episode's root card as a new post in the home's channel, the
 * rest as replies in its reply chain, cards updated in place, and personal messages. Failures
 * become DeliveryErrors the outbox retries (or gives up on, when Teams refuses for good).
 */
export function teamsChat(deps: {
  connector: Connector;
  appId: string;
  references: TeamsReferenceStore;
  /** For a first post before Teams has sent anything: the public cloud's URL and BOT_TENANT_ID. */
  defaults: { serviceUrl: string; tenantId?: string | undefined };
  logger: Logger;
}): ChatPlatform {
  const { connector, references, defaults, logger } = deps;

  async function call<T>(
    kind: CallKind,
    serviceUrl: string,
    conversationId: string,
    fn: (c: ConnectorClient) => Promise<T>,
  ) {
    try {
      return await connector(serviceUrl, conversationId, fn);
    } catch (error) {
      throw deliveryError(error, kind);
    }
  }

  /** The freshest serviceUrl for a tenant: Teams may move a tenant, and says so on each activity. */
  const serviceUrlFor = async (tenantId: string, fallback?: string | null) =>
    (await references.tenant(tenantId))?.serviceUrl ?? fallback ?? defaults.serviceUrl;

  async function firstContact(): Promise<TeamsAddress> {
    const tenantId = defaults.tenantId ?? (await references.lastSeen())?.tenantId;
    // Retryable: it works as soon as the team sends anything (or BOT_TENANT_ID is set).
    if (!tenantId)
      throw new DeliveryError('no Teams tenant known yet: set BOT_TENANT_ID or add the bot to the team', true, 60_000);
    return { tenantId, serviceUrl: await serviceUrlFor(tenantId) };
  }

  /**
   * The later parts of a card too big for one message. The first part is already posted, so a
   * failure here is logged rather than thrown: retrying would post the first part again.
   */
  async function postRest(serviceUrl: string, conversationId: string, rest: Message[]) {
    for (const part of rest)
      try {
        await connector(serviceUrl, conversationId, (c) =>
          c.conversations.sendToConversation(conversationId, asActivity(part)),
        );
      } catch (error) {
        logger.warn({ err: deliveryError(error, 'post').message }, 'teams: continuation of a long card not delivered');
      }
  }

  /**
   * A card's activities. A card with role views names who gets their own view by Teams id
   * (learnt from their activities; an AAD user's `8:orgid:` id until then).
   */
  async function activitiesOf(card: Card) {
    if (!card.personal) return cardActivities(card);
    const refreshUserIds = await Promise.all(
      card.personal.forPlatformUserIds.map(async (aad) => (await references.userMri(aad)) ?? `8:orgid:${aad}`),
    );
    return cardActivities(card, { refreshUserIds });
  }

  /** A new post in a channel, which starts its own reply chain. */
  async function newPost(channelRef: string, card: Card) {
    const address = (await references.channel(channelRef)) ?? (await firstContact());
    const serviceUrl = await serviceUrlFor(address.tenantId, address.serviceUrl);
    const [first, ...rest] = await activitiesOf(card);
    const params = {
      isGroup: true,
      tenantId: address.tenantId,
      channelData: { channel: { id: channelRef }, tenant: { id: address.tenantId } },
      activity: asActivity(first!),
    } as ConversationParameters;
    const created = await call('post', serviceUrl, channelRef, (c) => c.conversations.createConversation(params));
    const messageRef = created.activityId || (created.id ? rootMessageOf(created.id) : null);
    if (!messageRef) throw new DeliveryError('Teams created the post but did not say its id', false);
    const conversationId =
      created.id && rootMessageOf(created.id) ? created.id : threadConversation(channelRef, messageRef);
    await postRest(serviceUrl, conversationId, rest);
    return { threadRef: encodeThreadRef({ conversationId, tenantId: address.tenantId, serviceUrl }), messageRef };
  }

  function thread(threadRef: string) {
    const decoded = decodeThreadRef(threadRef);
    if (!decoded) throw new DeliveryError('not a Teams thread ref', false);
    return decoded;
  }

  async function postTo(serviceUrl: string, conversationId: string, card: Card) {
    const [first, ...rest] = await activitiesOf(card);
    const sent = await call('post', serviceUrl, conversationId, (c) =>
      c.conversations.sendToConversation(conversationId, asActivity(first!)),
    );
    await postRest(serviceUrl, conversationId, rest);
    return { messageRef: sent.id ?? '' };
  }

  return {
    platform: 'teams',
    startThread: (channelRef, card) => newPost(channelRef, card),
    async postToChannel(channelRef, card) {
      return { messageRef: (await newPost(channelRef, card)).messageRef };
    },
    async postToThread(threadRef, card) {
      const t = thread(threadRef);
      return postTo(await serviceUrlFor(t.tenantId, t.serviceUrl), t.conversationId, card);
    },
    async updateMessage(threadRef, messageRef, card) {
      const t = thread(threadRef);
      const serviceUrl = await serviceUrlFor(t.tenantId, t.serviceUrl);
      const [first, ...rest] = await activitiesOf(card);
      await call('update', serviceUrl, t.conversationId, (c) =>
        c.conversations.updateActivity(t.conversationId, messageRef, { ...asActivity(first!), id: messageRef }),
      );
      // A card that grew past one message: the rest follows as new replies.
      await postRest(serviceUrl, t.conversationId, rest);
    },
    async sendDirect(platformUserId, card) {
      let chat = await references.personal(platformUserId);
      if (!chat) {
        const address = await firstContact();
        // Teams hands back the existing one-to-one chat if there is one, so this is safe to repeat.
        const params = {
          isGroup: false,
          bot: { id: `28:${deps.appId}`, name: '' },
          members: [{ id: platformUserId, name: '' }],
          tenantId: address.tenantId,
          channelData: { tenant: { id: address.tenantId } },
        } as ConversationParameters;
        const created = await call('update', address.serviceUrl, 'new', (c) =>
          c.conversations.createConversation(params),
        );
        if (!created.id) throw new DeliveryError('Teams did not open a personal chat', true);
        chat = { ...address, conversationId: created.id };
        await references.savePersonal(platformUserId, chat);
      }
      const sent = await postTo(await serviceUrlFor(chat.tenantId, chat.serviceUrl), chat.conversationId, card);
      // The ref names the personal chat and the message, which is what an update needs later.
      return { messageRef: `${encodeThreadRef(chat)}#${sent.messageRef}` };
    },
    async updateDirect(messageRef, card) {
      const cut = messageRef.lastIndexOf('#');
      const chat = decodeThreadRef(messageRef.slice(0, Math.max(0, cut)));
      if (!chat || cut < 0) throw new DeliveryError('not a Teams direct-message ref', false);
      const activityId = messageRef.slice(cut + 1);
      const serviceUrl = await serviceUrlFor(chat.tenantId, chat.serviceUrl);
      const [first] = await activitiesOf(card);
      await call('update', serviceUrl, chat.conversationId, (c) =>
        c.conversations.updateActivity(chat.conversationId, activityId, { ...asActivity(first!), id: activityId }),
      );
    },
  };
}
