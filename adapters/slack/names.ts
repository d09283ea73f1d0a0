import type { WebClient } from '@slack/web-api';

/**
 * Display names of Slack users, for people not on a home's staff list (staff are recorded under
 * the names in the configuration). Cached, since users.info is rate-limited.
 */
export function slackNames(client: WebClient, ttlMs = 60 * 60_000) {
  const cache = new Map<string, { name: string; until: number }>();
  return async (userId: string): Promise<string | undefined> => {
    const hit = cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.name;
    try {
      const { user } = await client.users.info({ user: userId });
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      if (name) cache.set(userId, { name, until: Date.now() + ttlMs });
      return name;
    } catch {
      // The message is still recorded, under the Slack user id.
      return undefined;
    }
  };
}
