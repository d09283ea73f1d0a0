// The edge in front of Bolt's receiver. Bolt trusts a signed body's shape: a signed `payload=null`
// makes its receiver throw where nothing catches it (an unhandled rejection, which ends the
// process), and a body it cannot place is left unanswered until a 404 three seconds later. So the
// route reads the body first, answers 413 or 400 for what Bolt cannot take, and hands Bolt the
// same bytes (Bolt reads a `rawBody` already read, and checks the signature on exactly those).
import type http from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import { z } from 'zod';

/** Bolt's own limit on a request body. */
export const BODY_LIMIT = 4 * 1024 * 1024;

/** The whole body, or null when it is larger than `limit`. */
export async function readBody(req: http.IncomingMessage, limit = BODY_LIMIT): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const withId = z.object({ id: z.string() });
const anObject = z.record(z.string(), z.unknown());
/** `team` may be null (org-wide installs); then Bolt reads `user.team_id` instead. */
const whoAndWhere = { user: withId, team: withId.nullish(), channel: withId.optional(), enterprise: withId.nullish() };
const view = z.object({ callback_id: z.string(), private_metadata: z.string().optional() });

/**
 * Bolt's kinds of request, in the order Bolt tells them apart, each with the parts Bolt (or one of
 * our listeners) reaches into without checking.
 */
const kinds: [test: (body: Record<string, unknown>) => boolean, shape: z.ZodType][] = [
  [
    (b) => b.event !== undefined,
    z.object({
      event: z.object({
        type: z.string(),
        user: z.union([z.string(), withId]).optional(),
        channel: z.union([z.string(), anObject]).optional(),
        item: anObject.optional(),
        subteam: anObject.optional(),
      }),
      authorizations: z.array(anObject).optional(),
    }),
  ],
  [(b) => b.command !== undefined, z.object({ command: z.string(), user_id: z.string(), channel_id: z.string() })],
  [(b) => b.name !== undefined || b.type === 'block_suggestion', z.object({ ...whoAndWhere })],
  [
    (b) => b.actions !== undefined || b.type === 'dialog_submission',
    z.object({ ...whoAndWhere, actions: z.array(z.object({ action_id: z.string() })).min(1) }),
  ],
  [(b) => b.type === 'shortcut' || b.type === 'message_action', z.object({ ...whoAndWhere, callback_id: z.string() })],
  [(b) => b.type === 'view_submission' || b.type === 'view_closed', z.object({ ...whoAndWhere, view })],
];

/** The body parsed as Bolt parses it (form fields, a JSON `payload` among them, or JSON); undefined if it is neither. */
function parseAsBolt(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString();
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const fields = parseQuery(text);
      return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether Bolt can take this body: an object of a kind it knows, with the parts it reaches into. */
export function boltCanTake(raw: Buffer, contentType: string | undefined): boolean {
  const body = parseAsBolt(raw, contentType);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  // Answered by the receiver itself, before any listener.
  if (fields.ssl_check !== undefined || fields.type === 'url_verification') return true;
  const kind = kinds.find(([test]) => test(fields));
  return kind ? kind[1].safeParse(body).success : false;
}

/** How far ahead of this machine's clock a request may be signed (Slack's own clock may drift a little). */
const FUTURE_LIMIT_SECONDS = 5 * 60;

/** Whether a request's signing time is more than five minutes ahead: a replay prepared in advance. */
export function fromTheFuture(header: string | string[] | undefined, nowMs = Date.now()): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > nowMs / 1000 + FUTURE_LIMIT_SECONDS;
}

/** Whether the body is signed with the app's signing secret, recently (Bolt's own check). */
export function signedBySlack(signingSecret: string, raw: Buffer, headers: http.IncomingHttpHeaders): boolean {
  const signature = headers['x-slack-signature'];
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: raw.toString(),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/** A message event of the Events API (thread messages, their edits and deletions), or null. */
export function threadMessageEvent(
  raw: Buffer,
  contentType: string | undefined,
): { event: unknown; eventId: string | undefined } | null {
  if (contentType !== 'application/json' && !contentType?.startsWith('application/json;')) return null;
  const body = parseAsBolt(raw, 'application/json') as
    { type?: unknown; event?: { type?: unknown }; event_id?: unknown } | undefined;
  if (body?.type !== 'event_callback' || body.event?.type !== 'message') return null;
  return { event: body.event, eventId: typeof body.event_id === 'string' ? body.event_id : undefined };
}
