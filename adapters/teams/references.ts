/** Where a Teams conversation is reached: the connector serviceUrl for its region, and its tenant. */
export interface TeamsAddress {
  serviceUrl: string;
  tenantId: string;
}

/** A person's one-to-one chat with the bot. */
export interface PersonalChat extends TeamsAddress {
  conversationId: string;
}

/**
 * What the adapter learns from inbound traffic so that it can start a conversation later: a home
 * channel's address (to post an episode's root card) and a person's personal chat (to send a
 * reminder or handover). Thread refs carry their own address; this is only for first posts.
 *
 * The default keeps them in memory. That is enough for a single-tenant bot (BOT_TENANT_ID plus the
 * default serviceUrl reach everyone, and Teams hands back the same personal chat when asked to
 * create it again); a multi-tenant deployment with several instances wants a table behind this.
 */
export interface TeamsReferenceStore {
  channel(channelId: string): Promise<TeamsAddress | null>;
  saveChannel(channelId: string, address: TeamsAddress): Promise<void>;
  personal(userId: string): Promise<PersonalChat | null>;
  savePersonal(userId: string, chat: PersonalChat): Promise<void>;
  /** The serviceUrl a tenant's traffic last came from (Teams may move a tenant between regions). */
  tenant(tenantId: string): Promise<TeamsAddress | null>;
  saveTenant(address: TeamsAddress): Promise<void>;
  /** The address of the latest activity from any tenant (a first post when BOT_TENANT_ID is not set). */
  lastSeen(): Promise<TeamsAddress | null>;
  /** A person's Teams id (`29:…`, what a card's refresh.userIds wants), by their AAD object id. */
  userMri(aadObjectId: string): Promise<string | null>;
  saveUserMri(aadObjectId: string, mri: string): Promise<void>;
}

/** The in-memory default. */
export function memoryReferenceStore(): TeamsReferenceStore {
  const channels = new Map<string, TeamsAddress>();
  const people = new Map<string, PersonalChat>();
  const tenants = new Map<string, TeamsAddress>();
  const mris = new Map<string, string>();
  let last: TeamsAddress | null = null;
  return {
    channel: async (id) => channels.get(id) ?? null,
    saveChannel: async (id, a) => void channels.set(id, { ...a }),
    personal: async (id) => people.get(id) ?? null,
    savePersonal: async (id, c) => void people.set(id, { ...c }),
    tenant: async (id) => tenants.get(id) ?? null,
    async saveTenant(a) {
      tenants.set(a.tenantId, { ...a });
      last = { ...a };
    },
    lastSeen: async () => last,
    userMri: async (aad) => mris.get(aad) ?? null,
    saveUserMri: async (aad, mri) => void mris.set(aad, mri),
  };
}
