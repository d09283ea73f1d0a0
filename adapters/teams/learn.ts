import type { Activity } from 'botbuilder';
import { actorOf, channelIdOf, isPersonal, serviceUrlOf, tenantOf } from './activity/activity.ts';
import type { TeamsReferenceStore } from './references.ts';

/**
 * Remembers where an authenticated activity came from, so the bot can post first later: the
 * tenant's current serviceUrl, the channel's address, a person's personal chat.
 */
export async function learnAddresses(store: TeamsReferenceStore, a: Partial<Activity>): Promise<void> {
  const tenantId = tenantOf(a);
  const serviceUrl = serviceUrlOf(a);
  if (!tenantId || !serviceUrl) return;
  const address = { tenantId, serviceUrl };
  await store.saveTenant(address);
  const channelId = channelIdOf(a);
  if (channelId) await store.saveChannel(channelId, address);
  if (a.from?.aadObjectId && a.from.id && a.from.id !== a.from.aadObjectId)
    await store.saveUserMri(a.from.aadObjectId, a.from.id);
  if (isPersonal(a) && a.conversation?.id)
    await store.savePersonal(actorOf(a).userId, { ...address, conversationId: a.conversation.id });
}
