import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { crc32, PNG_SIGNATURE } from '../../src/reports/png.ts';

/** Reads a PNG's chunks back, checking each CRC, and inflates its image data. */
export function decodePng(png: Uint8Array) {
  const bytes = Buffer.from(png);
  expect(bytes.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))).toBe(true);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  const ihdr = chunks[0]!;
  expect(ihdr.type).toBe('IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  return { chunks: chunks.map((c) => c.type), width, height, bitDepth: ihdr.data[8], colourType: ihdr.data[9], raw };
}
