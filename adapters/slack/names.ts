import type { WebClient } from '@slack/web-api';

/** Slack users' display names, as far as the bot knows them now and by asking Slack. */
export interface SlackNames {
  /** The name already known (asked for before), without waiting on Slack. */
  known(userId: string): string | undefined;
  /** Asks Slack (once at a time per person); undefined when Slack does not say. */
  lookUp(userId: string): Promise<string | undefined>;
}

/**
 * Display names of Slack users, for people not on a home's staff list (staff are recorded under
 * the names in the configuration). Cached, since users.info is rate-limited. A thread message is
 * recorded before the name is asked for (the record never waits on Slack); the name, when Slack
 * gives it, is added to the record then and used straight away for the person's next message.
 */
export function slackNames(client: WebClient, opts: { ttlMs?: number } = {}): SlackNames {
  const ttlMs = opts.ttlMs ?? 60 * 60_000;
  const cache = new Map<string, { name: string; until: number }>();
  const asking = new Map<string, Promise<string | undefined>>();
  return {
    known(userId) {
      const hit = cache.get(userId);
      return hit && hit.until > Date.now() ? hit.name : undefined;
    },
    lookUp(userId) {
      const already = asking.get(userId);
      if (already) return already;
      const asked = client.users.info({ user: userId });
      const answer = asked
        .then(({ user }) => {
          const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
          if (name) cache.set(userId, { name, until: Date.now() + ttlMs });
          // A stale name is better than none when Slack does not answer now.
          return name ?? cache.get(userId)?.name;
        })
        .catch(() => cache.get(userId)?.name)
        .finally(() => asking.delete(userId));
      asking.set(userId, answer);
      return answer;
    },
  };
}
