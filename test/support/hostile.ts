import fc from 'fast-check';
import { expect } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { describeError, type EngineError } from '../../src/messages/texts.ts';
import type { PrismaClient } from '../../src/store/generated/sqlite/client.ts';
import { toEntry } from '../../src/store/mappers.ts';

/** Strings people (or attackers) type: SQL, markup, Slack mentions, template and path tricks. */
export const injections = [
  `'; DROP TABLE "LogEntry"; --`,
  `AJ' OR '1'='1`,
  '<script>alert(1)</script>',
  '<!channel> <!everyone> <@U0SAM>',
  '*bold* _it_ ~x~ `code` ```block```',
  '${process.exit(1)}',
  '{{constructor.constructor("return process")().exit()}}',
  '__proto__',
  '{"__proto__":{"admin":true}}',
  '../../../../etc/passwd',
  '%00%0d%0a',
  'AJ\u0000',
  '\u202Eevil\u202C',
  'ＡＪ',
  'A\u0301J',
  '👩‍👧‍👦',
  'null',
  'undefined',
  'NaN',
  '-1',
  'status',
  'returned',
  'export',
  ' aj ',
];

/** Text of every kind: any code points (control, format and unpaired surrogates), injections, and huge. */
export const hostileText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 3, arbitrary: fc.constantFrom(...injections) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0007',
        '\u001b',
        '\u200b',
        '\u202e',
        '\ufeff',
        '\r',
        '\n',
        '\t',
        '\u00a0',
        'A',
        'J',
      ),
      maxLength: 40,
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 60_000 }).map((n) => 'AJ'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Anything at all where a value belongs: wrong types included. */
export const wrongValue = fc.oneof(
  hostileText,
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(null, undefined, 0, -1, 1e308, true, [], {}, ['a'], { value: 'x' }),
);

/** The record and the database still hang together: every chain verifies, one missing episode per child. */
export async function expectConsistent(prisma: PrismaClient) {
  const entries = await prisma.logEntry.findMany({ orderBy: [{ episodeId: 'asc' }, { seq: 'asc' }] });
  const chains = new Map<string, typeof entries>();
  for (const e of entries) chains.set(e.episodeId, [...(chains.get(e.episodeId) ?? []), e]);
  for (const [episodeId, chain] of chains)
    expect({ episodeId, check: verifyChain(chain.map(toEntry)) }).toEqual({
      episodeId,
      check: { ok: true, entries: chain.length },
    });
  // One missing episode per child; a returned one may stand beside it until it is closed.
  const active = await prisma.episode.findMany({ where: { status: 'open' }, select: { childId: true } });
  expect(new Set(active.map((e) => e.childId)).size).toBe(active.length);
  for (const row of await prisma.outboxMessage.findMany({ select: { payloadJson: true } }))
    expect(JSON.parse(row.payloadJson)).toMatchObject({ target: expect.any(Object), card: expect.any(Object) });
  return { entries: entries.length, episodes: chains.size };
}

/** The wording of the libraries underneath (zod, Bolt, the Web API, a stack), never for a person. */
const libraryWording =
  /Invalid input|Invalid option|expected (string|number|boolean|array|object|one of)|received (undefined|null|string|number)|Too (big|small)|ZodError|invalid_type|An API error occurred|\bBolt\b|TypeError|\bat .+\.[jt]s:\d+/i;

/** Text a person reads is in our words: none of a library's. */
export function expectPlainWords(text: string) {
  expect(text).not.toMatch(libraryWording);
}

/** A refusal is a known code with words a person can read, short even when the input was huge. */
export function expectClearRefusal(error: EngineError) {
  const text = describeError(error);
  expect(typeof text).toBe('string');
  expect(text.length).toBeGreaterThan(10);
  expect(text.length).toBeLessThan(2_500);
  expect(text).not.toContain('[object Object]');
  expectPlainWords(text);
}
