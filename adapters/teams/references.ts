import { z } from 'zod';
import type { PlatformAddresses } from '../../src/ports/addresses.ts';

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
 * The bot keeps them in the database (storedReferenceStore below); memory is for tests and tools.
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

/** In memory only: for tests and tools (forgotten on restart, not shared between instances). */
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

const address = z.object({ serviceUrl: z.string(), tenantId: z.string() });
/** How long a copy in memory answers for the database. */
const CACHE_MS = 5 * 60_000;
const personalChat = address.extend({ conversationId: z.string() });

/**
 * Addresses kept in the database (PlatformAddresses), so every instance can reach a channel or a
 * person learnt by another, and a restart forgets nothing. A copy in memory answers the next read
 * and keeps inbound traffic from writing what is already known.
 */
export function storedReferenceStore(addresses: PlatformAddresses, now = () => Date.now()): TeamsReferenceStore {
  // Kept a few minutes only, so what another instance learnt since is read again.
  const known = new Map<string, { json: string; at: number }>();
  const fresh = (id: string) => {
    const hit = known.get(id);
    return hit && now() - hit.at < CACHE_MS ? hit.json : undefined;
  };
  async function read<T>(kind: string, key: string, schema: z.ZodType<T>): Promise<T | null> {
    const cached = fresh(`${kind}/${key}`);
    const value = cached !== undefined ? (JSON.parse(cached) as unknown) : await addresses.get(kind, key);
    const parsed = schema.safeParse(value);
    if (!parsed.success) return null;
    known.set(`${kind}/${key}`, { json: JSON.stringify(parsed.data), at: now() });
    return parsed.data;
  }
  async function write(kind: string, key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    if (fresh(`${kind}/${key}`) === json) return;
    await addresses.put(kind, key, value);
    known.set(`${kind}/${key}`, { json, at: now() });
  }
  return {
    channel: (id) => read('channel', id, address),
    saveChannel: (id, a) => write('channel', id, { serviceUrl: a.serviceUrl, tenantId: a.tenantId }),
    personal: (id) => read('personal', id, personalChat),
    savePersonal: (id, c) =>
      write('personal', id, { serviceUrl: c.serviceUrl, tenantId: c.tenantId, conversationId: c.conversationId }),
    tenant: (id) => read('tenant', id, address),
    async saveTenant(a) {
      const value = { serviceUrl: a.serviceUrl, tenantId: a.tenantId };
      await write('tenant', a.tenantId, value);
      await write('last', 'seen', value);
    },
    lastSeen: () => read('last', 'seen', address),
    userMri: (aad) => read('mri', aad, z.string()),
    saveUserMri: (aad, mri) => write('mri', aad, mri),
  };
}
