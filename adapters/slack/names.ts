import type { WebClient } from '@slack/web-api';

/**
 * Display names of Slack users, for people not on a home's staff list (staff are recorded under
 * the names in the configuration). Cached, since users.info is rate-limited. A thread message is
 * recorded before Slack is answered, so the name is waited for at most `waitMs`: past that the
 * message is recorded under the Slack user id, and the answer, when it comes, is kept for next time.
 */
export function slackNames(client: WebClient, opts: { ttlMs?: number; waitMs?: number } = {}) {
  const ttlMs = opts.ttlMs ?? 60 * 60_000;
  const waitMs = opts.waitMs ?? 1_000;
  const cache = new Map<string, { name: string; until: number }>();
  const asking = new Map<string, Promise<string | undefined>>();
  const lookUp = (userId: string): Promise<string | undefined> => {
    const already = asking.get(userId);
    if (already) return already;
    const info = client.users.info({ user: userId });
    const answer = info
      .then(({ user }) => {
        const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
        if (name) cache.set(userId, { name, until: Date.now() + ttlMs });
        return name;
      })
      .catch(() => undefined)
      .finally(() => asking.delete(userId));
    asking.set(userId, answer);
    return answer;
  };
  return async (userId: string): Promise<string | undefined> => {
    const hit = cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.name;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
    try {
      return (await Promise.race([lookUp(userId), late])) ?? hit?.name;
    } finally {
      clearTimeout(timer);
    }
  };
}
