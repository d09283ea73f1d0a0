import type http from 'node:http';

/** Largest JSON body the playground takes: far above any real message, far below a memory risk. */
export const MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLarge extends Error {}

/** Reads a request body as JSON, refusing anything over the limit without buffering it all. */
export async function readJson(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit the rest is read and dropped, so the person still gets an answer saying
    // why; only something far past it (not a person typing) has its connection cut.
    if (size > limit * 16) {
      req.destroy();
      throw new BodyTooLarge();
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new BodyTooLarge();
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}
