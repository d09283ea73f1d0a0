import nock from 'nock';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/** Parses a Web API request body (form-encoded or JSON) with its JSON-valued fields decoded. */
function parseBody(body: unknown): Record<string, unknown> {
  const raw: Record<string, unknown> =
    typeof body === 'string'
      ? body.trim().startsWith('{')
        ? JSON.parse(body)
        : Object.fromEntries(new URLSearchParams(body))
      : ((body ?? {}) as Record<string, unknown>);
  for (const key of ['blocks', 'view']) if (typeof raw[key] === 'string') raw[key] = JSON.parse(raw[key] as string);
  return raw;
}

/**
 * A stand-in for Slack's Web API and response URLs (nock): records every call and answers like
 * Slack, giving each posted message a new ts. Tests assert on `calls` and `responses`.
 */
export function fakeSlack(host = 'https://slack.com') {
  const calls: SlackCall[] = [];
  const responses: { url: string; body: Record<string, unknown> }[] = [];
  let ts = 1_700_000_000;
  let fileCounter = 0;
  /** File contents sent to the upload URLs files.getUploadURLExternal handed out. */
  const uploads: { fileId: string; body: string }[] = [];
  const nextTs = () => `${++ts}.000100`;
  /** While set, users.info is not answered until it resolves (Slack slow to say who someone is). */
  let namesHeld: Promise<void> | null = null;
  const answer = (method: string, parsed: Record<string, unknown>): [number, Record<string, unknown>] => {
    switch (method) {
      case 'chat.postMessage': {
        // Posting to a user id lands in the app's direct message with them, which has its own id.
        const channel = String(parsed.channel ?? '').replace(/^U/, 'D');
        return [200, { ok: true, channel, ts: nextTs() }];
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${++fileCounter}`;
        return [200, { ok: true, file_id: fileId, upload_url: `https://files.slack.com/upload/v1/${fileId}` }];
      }
      case 'files.completeUploadExternal':
        return [200, { ok: true, files: JSON.parse(String(parsed.files ?? '[]')) }];
      case 'chat.update':
        return [200, { ok: true, channel: parsed.channel, ts: parsed.ts }];
      case 'users.info':
        return [
          200,
          { ok: true, user: { id: parsed.user, profile: { display_name: `Slack name of ${String(parsed.user)}` } } },
        ];
      default:
        return [200, { ok: true }];
    }
  };
  nock(host)
    .persist()
    .post(/\/api\/.+/)
    .reply(function (uri, body, callback) {
      const method = uri.split('/api/')[1]!.split('?')[0]!;
      const parsed = parseBody(body);
      calls.push({ method, body: parsed });
      const reply = () => callback(null, answer(method, parsed));
      if (method === 'users.info' && namesHeld) void namesHeld.then(reply);
      else reply();
    });
  nock('https://files.slack.com')
    .persist()
    .post(/\/upload\/v1\/.+/)
    .reply(function (uri, body) {
      uploads.push({ fileId: uri.split('/').at(-1)!, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return [200, 'OK'];
    });
  nock('https://hooks.slack.com')
    .persist()
    .post(/.*/)
    .reply(function (uri, body) {
      responses.push({ url: uri, body: parseBody(body) });
      return [200, 'ok'];
    });
  return {
    calls,
    responses,
    uploads,
    /** Holds every users.info answer until the returned function is called. */
    holdNames(): () => void {
      let release!: () => void;
      namesHeld = new Promise<void>((resolve) => (release = resolve));
      return () => {
        namesHeld = null;
        release();
      };
    },
    of: (method: string) => calls.filter((c) => c.method === method),
    /** Text of everything in ephemeral responses, newest last. */
    responseText: () => responses.map((r) => JSON.stringify(r.body)).join('\n'),
  };
}
