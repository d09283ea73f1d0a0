import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/ports/logger.ts';

/** Where the bot stands with Slack, in words for /healthz and the log. */
export interface SlackConnection {
  state: 'checking' | 'connected' | 'refused' | 'unreachable';
  /** Plain words: "Slack rejected the bot token (invalid_auth)". */
  detail: string;
}

/** Slack's answers that mean the token will not work until a person changes it. */
const refusals = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/**
 * Checks the bot token with auth.test in the background, and again until it works: the bot never
 * waits on Slack to start, and keeps recording, scheduling and serving its other adapters while
 * Slack is unreachable or refusing the token. Each change is logged once, in words.
 */
export function watchSlackConnection(
  client: WebClient,
  logger: Logger,
  opts: { retryMs?: (attempt: number) => number } = {},
): { current(): SlackConnection; stop(): void } {
  let current: SlackConnection = { state: 'checking', detail: 'checking the bot token with Slack' };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retryMs = opts.retryMs ?? ((n: number) => Math.min(5 * 60_000, 5_000 * 2 ** n));
  const set = (next: SlackConnection) => {
    if (next.state === current.state && next.detail === current.detail) return;
    current = next;
    if (next.state === 'connected') logger.info({ slack: next.state }, next.detail);
    else logger.error({ slack: next.state }, `${next.detail}; reminders to Slack wait until it is fixed`);
  };
  const check = async (attempt: number) => {
    try {
      const auth = await client.auth.test();
      set({
        state: 'connected',
        detail: `connected to Slack as ${auth.user ?? 'the bot'} (${auth.team ?? 'workspace'})`,
      });
      return;
    } catch (error) {
      const e = error as { code?: string; data?: { error?: string }; message?: string };
      const code = e.data?.error;
      if (code && refusals.has(code)) set({ state: 'refused', detail: `Slack rejected the bot token (${code})` });
      else set({ state: 'unreachable', detail: `Slack could not be reached (${code ?? e.code ?? 'no answer'})` });
    }
    if (!stopped) timer = setTimeout(() => void check(attempt + 1), retryMs(attempt));
  };
  void check(0);
  return {
    current: () => current,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
