/**
 * Where a chat adapter keeps what it learns from inbound traffic and needs to reach people later
 * (a channel's or a personal chat's address): in the database, so every instance has it and a
 * restart keeps it. Values are the adapter's own, as JSON; the engine never reads them.
 */
export interface PlatformAddresses {
  get(kind: string, key: string): Promise<unknown>;
  put(kind: string, key: string, value: unknown): Promise<void>;
}
