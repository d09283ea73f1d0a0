import type { Tx } from '../../ports/store.ts';
import type { EngineDeps } from '../base/context.ts';
import { tokenHash } from './rules.ts';

/** A file handed over through its one-time link. */
export interface Download {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** What a download token looks like (32 random bytes, base64url): anything else is not looked up. */
export const DOWNLOAD_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Gives the file behind a link once; a second click, an expired link or a guess gets nothing. */
export async function takeDownload(tx: Tx, deps: EngineDeps, token: string): Promise<Download | null> {
  if (!DOWNLOAD_TOKEN.test(token)) return null;
  const file = await tx.exports.takeFile(tokenHash(token), deps.clock.now());
  return file ? { name: file.name, mimeType: file.mimeType, bytes: file.content } : null;
}
