import { DeliveryError } from '../../src/ports/chat.ts';
import { ConnectorStatusError } from './connector-transport.ts';

/**
 * What kind of call failed: a `post` creates a message, so a failure after Teams received it may
 * leave the message posted; an `update` (or creating a one-to-one chat) can safely be repeated.
 */
export type CallKind = 'post' | 'update';

/** Statuses that mean Teams will not take this message however often it is sent. */
const refusedForGood: Record<number, string> = {
  400: 'Teams rejected the message as malformed',
  403: 'the bot may not post there (removed from the team, or a private channel)',
  404: 'Teams does not know that conversation or message',
  413: 'the message is too large for Teams',
};

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
};
const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? ` (${code})` : '';
};

/**
 * Turns a connector failure into the outbox's terms: retry (after Retry-After when Teams says), or
 * give up for good. Messages name the status and Teams' error code, never the card's content.
 */
export function deliveryError(error: unknown, kind: CallKind): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const maybePosted = kind === 'post' ? '; Teams may have posted it anyway, so a retry can show it twice' : '';
  if (error instanceof ConnectorStatusError) {
    if (error.status === 429) return new DeliveryError('Teams is throttling the bot (429)', true, error.retryAfterMs);
    return new DeliveryError(`Teams connector answered ${error.status}${maybePosted}`, true, error.retryAfterMs);
  }
  const status = statusOf(error);
  if (status !== undefined && refusedForGood[status])
    return new DeliveryError(`${refusedForGood[status]}: ${status}${codeOf(error)}`, false);
  if (status !== undefined) return new DeliveryError(`Teams connector answered ${status}${codeOf(error)}`, true);
  // The bot could not get its token: nothing was sent, so nothing can show twice.
  const signIn = signInFailure(error);
  if (signIn) return new DeliveryError(`the bot could not sign in to Microsoft (${signIn}); nothing was sent`, true);
  // No answer at all (network, timeout): it may still have reached Teams.
  const why = error instanceof Error ? error.name : 'unknown error';
  return new DeliveryError(`no answer from Teams (${why})${maybePosted}`, true);
}

/** MSAL's errors (and botbuilder's own "no token"), named with their code where MSAL gives one. */
function signInFailure(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { errorCode?: unknown }).errorCode;
  const named = typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? `${error.name}: ${code}` : error.name;
  if (
    /^(ClientAuthError|ServerError|AuthError|ClientConfigurationError|InteractionRequiredAuthError)$/.test(error.name)
  )
    return named;
  if (error.message.startsWith('Authentication:') || /\bAADSTS\d+/.test(error.message)) return error.name;
  return null;
}
