import type { Platform } from '../domain/episode.ts';
import type { PlatformAddresses } from '../ports/addresses.ts';
import type { Store } from '../ports/store.ts';

/** The addresses of one platform, kept in the store. */
export function storedAddresses(
  store: Pick<Store, 'transaction'>,
  platform: Platform,
  now: () => Date,
): PlatformAddresses {
  return {
    async get(kind, key) {
      const json = await store.transaction((tx) => tx.addresses.get(platform, kind, key));
      return json === null ? null : (JSON.parse(json) as unknown);
    },
    put: (kind, key, value) =>
      store.transaction((tx) => tx.addresses.put(platform, kind, key, JSON.stringify(value), now())),
  };
}
