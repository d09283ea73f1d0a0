import type http from 'node:http';
import type { TurnContext } from 'botbuilder';
import type { Route } from '../../src/ports/http.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { CheckedTeamsAdapter } from './checked-adapter.ts';

/** Largest activity taken: far above any Teams message (about 28 KB), far below a memory risk. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

class TooLarge extends Error {}

/** Reads the body as JSON. Past the limit it keeps reading without keeping, so the 413 arrives. */
async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_ACTIVITY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_ACTIVITY_BYTES) throw new TooLarge();
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** botbuilder writes to an Express-style response; this one only keeps what it was told. */
function capture() {
  const out = {
    statusCode: 200,
    body: undefined as unknown,
    socket: null,
    status(code: number) {
      out.statusCode = code;
      return out;
    },
    send(body: unknown) {
      out.body = body;
      return out;
    },
    header: () => out,
    end: () => out,
  };
  return out;
}

function send(res: http.ServerResponse, status: number, body?: unknown) {
  if (body === undefined) return void res.writeHead(status).end();
  if (typeof body === 'string')
    return void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * POST /api/messages: the Bot Framework endpoint. botbuilder checks the JWT (signature against
 * the published keys, issuer, audience = BOT_ID, and the serviceurl claim against the activity)
 * before anything runs; without a valid one the answer is 401 and nothing is written.
 */
export function messagesRoute(deps: {
  adapter: CheckedTeamsAdapter;
  logic: (ctx: TurnContext) => Promise<void>;
  logger: Logger;
  path: string;
}): Route {
  const { adapter, logic, logger, path } = deps;
  return async (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== path) return false;
    if (req.method !== 'POST') return (send(res, 405, 'Method not allowed\n'), true);
    if (!req.headers.authorization) {
      req.resume();
      logger.warn({ path }, 'teams: activity without a token refused');
      return (send(res, 401, 'Unauthorized\n'), true);
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return (
        send(res, error instanceof TooLarge ? 413 : 400, error instanceof TooLarge ? 'Too large\n' : 'Bad request\n'),
        true
      );
    }
    const activity = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    // botbuilder checks the token's serviceurl claim only when the activity names one: require it.
    if (typeof activity.serviceUrl !== 'string' || !activity.serviceUrl) return (send(res, 400, 'Bad request\n'), true);
    try {
      await adapter.authenticate(
        { channelId: String(activity.channelId ?? ''), serviceUrl: activity.serviceUrl },
        req.headers.authorization,
      );
    } catch {
      logger.warn({ path }, 'teams: activity with an invalid token refused');
      return (send(res, 401, 'Unauthorized\n'), true);
    }

    const out = capture();
    await adapter.process({ method: 'POST', headers: req.headers, body: activity }, out, logic);
    if (out.statusCode === 401) send(res, 401, 'Unauthorized\n');
    else if (out.statusCode >= 500) {
      // botbuilder would put the error's message in the body; it stays in our logs instead.
      send(res, out.statusCode, 'Something went wrong\n');
    } else send(res, out.statusCode, out.body);
    return true;
  };
}
