import http from 'node:http';

/** One Web API call as the stand-in received it (JSON-valued fields decoded). */
export interface StandInCall {
  method: string;
  body: Record<string, unknown>;
}

/** What the stand-in answers instead of ok: a status, a body and headers (a 429 with Retry-After, a 503). */
export type Failure = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A stand-in for Slack's Web API and response URLs on a loopback port, for bots in other
 * processes (nock only reaches this one). It answers like Slack, giving each posted message a new
 * ts, and records what was posted. It can be told to leave chat.postMessage calls unanswered
 * (the bot is then mid-post) or to fail calls.
 */
export async function startSlackStandIn() {
  const posted: StandInCall[] = [];
  const calls: StandInCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const stalled: http.ServerResponse[] = [];
  let ts = 1_700_000_000;
  const state = {
    /** When set, chat.postMessage calls are received but never answered (nor posted). */
    stallPosts: false,
    /** When it returns a failure, the call fails with it (and nothing is posted). */
    fail: null as null | ((method: string) => Failure | null),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const body = parseBody(raw, req.headers['content-type'] ?? '');
      const url = req.url ?? '';
      if (url.startsWith('/commands/')) {
        responses.push(body);
        return void res.writeHead(200).end('ok');
      }
      const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
      calls.push({ method, body });
      const failure = state.fail?.(method);
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
        return void res.end(JSON.stringify(failure.body ?? { ok: false, error: 'service_unavailable' }));
      }
      if (method === 'chat.postMessage' && state.stallPosts) return void stalled.push(res);
      const reply: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') Object.assign(reply, { user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0OAK' });
      if (method === 'chat.postMessage') {
        Object.assign(reply, { channel: body.channel, ts: `${++ts}.000100` });
        posted.push({ method, body: { ...body, ts: reply.ts } });
      }
      if (method === 'users.info')
        Object.assign(reply, { user: { id: body.user, profile: { display_name: 'Staff member' } } });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    /** Messages Slack would now show: every chat.postMessage answered ok. */
    posted,
    calls,
    responses,
    stalled,
    of: (method: string) => calls.filter((c) => c.method === method),
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type SlackStandIn = Awaited<ReturnType<typeof startSlackStandIn>>;

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  let body: Record<string, unknown>;
  try {
    body = contentType.includes('json')
      ? (JSON.parse(raw) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return { raw };
  }
  for (const key of ['blocks', 'view'])
    if (typeof body[key] === 'string') {
      try {
        body[key] = JSON.parse(body[key] as string);
      } catch {
        // left as text
      }
    }
  return body;
}
