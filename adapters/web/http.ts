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
    if (size > limit) {
      req.destroy();
      throw new BodyTooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}
