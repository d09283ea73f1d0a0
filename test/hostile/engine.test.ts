// engine.execute with anything at all: random values, every command type with hostile or wrongly
// typed fields, and thread messages replayed and out of order. Each gets a result or a clear
// refusal (never a throw), invalid input writes nothing, and the record stays whole. The named
// bad inputs are in test/engine/bad-input.test.ts; this is the generated rest.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/messages/texts.ts';
import {
  demoChannel,
  jo,
  openWithThread,
  priya,
  sam,
  startTestBot,
  writtenRows,
  type TestBot,
} from '../support/bot.ts';
import { expectClearRefusal, expectConsistent, hostileText, wrongValue } from '../support/hostile.ts';

let bot: TestBot;
let episodeId: string;
let threadRef: string;
beforeAll(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
  ({ episodeId, threadRef } = await openWithThread(bot, 'AJ'));
});
afterAll(() => bot?.close());

const stranger = { platform: 'web', userId: 'visitor-7' } as const;
const recordTypes = [
  'open_episode',
  'record_last_seen',
  'classify',
  'tick_item',
  'mark_not_applicable',
  'record_police_report',
  'record_notification',
  'record_contact_attempt',
  'record_search',
  'set_risk',
  'record_return',
  'record_follow_up',
  'record_rhi',
  'request_signoff',
  'request_closure',
  'decide_approval',
  'record_message',
  'accept_handover',
] as const;

/** A field's value: mostly something that fits, often something hostile, sometimes the wrong type. */
const field = <T>(fits: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 12, arbitrary: fits },
    { weight: 3, arbitrary: hostileText },
    { weight: 1, arbitrary: wrongValue },
  );
const time = fc
  .date({ min: new Date('2026-11-20T20:00:00Z'), max: new Date('2026-11-21T02:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const command = fc.record(
  {
    type: fc.constantFrom(...recordTypes),
    actor: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(jo, priya, sam, stranger) },
      { weight: 1, arbitrary: wrongValue },
    ),
    eventId: field(fc.string({ minLength: 1, maxLength: 12 })),
    episodeId: field(fc.constant('')).map((v) => (v === '' ? episodeId : v)),
    channel: field(fc.constant(demoChannel)),
    child: field(fc.constantFrom('AJ', 'BT', 'aj', 'ZZ')),
    itemId: field(fc.constantFrom('check-room', 'ask-peers', 'report-police', 'no-such-item')),
    reason: field(fc.string({ maxLength: 40 })),
    text: field(fc.string({ maxLength: 40 })),
    thread: field(fc.constant('')).map((v) => (v === '' ? { platform: 'web', threadRef } : v)),
    messageId: field(fc.string({ minLength: 1, maxLength: 8 })),
    files: field(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
    change: field(fc.constantFrom('posted', 'edited', 'deleted')),
    classification: field(fc.constantFrom('missing', 'absent', 'away_from_placement')),
    level: field(fc.constantFrom('low', 'medium', 'high', 'very_high')),
    factors: field(fc.array(fc.constantFrom('under-13', 'out-of-pattern'), { maxLength: 2 })),
    at: field(time),
    how: field(fc.string({ maxLength: 20 })),
    whereFound: field(fc.string({ maxLength: 20 })),
    condition: field(fc.string({ maxLength: 20 })),
    reference: field(fc.string({ maxLength: 20 })),
    officer: field(fc.string({ maxLength: 20 })),
    grade: field(fc.constantFrom('low', 'medium', 'high')),
    party: field(fc.constantFrom('parents', 'social_worker', 'nobody')),
    method: field(fc.string({ maxLength: 20 })),
    outcome: field(fc.string({ maxLength: 20 })),
    who: field(fc.string({ maxLength: 20 })),
    where: field(fc.string({ maxLength: 20 })),
    what: field(fc.constantFrom('police_told_of_return', 'safe_and_well', 'risk_assessment_updated')),
    status: field(fc.constantFrom('offered', 'held', 'declined')),
    kind: field(fc.constantFrom('signoff_ofsted', 'signoff_record')),
    approvalId: field(fc.string({ maxLength: 10 })),
    decision: field(fc.constantFrom('approve', 'decline')),
    handoverId: field(fc.string({ maxLength: 10 })),
    lastSeen: field(fc.record({ at: time, place: fc.string({ maxLength: 20 }) })),
    drill: field(fc.boolean()),
    drillSpeed: field(fc.integer({ min: -5, max: 5_000 })),
  },
  { requiredKeys: ['type'] },
);

const known = new Set<ErrorCode>([
  'unknown_home',
  'unknown_staff',
  'unknown_child',
  'no_child_given',
  'unknown_episode',
  'episode_closed',
  'unknown_item',
  'reason_required',
  'item_cannot_be_na',
  'text_empty',
  'text_too_long',
  'invalid_input',
  'not_an_approver',
  'approval_not_found',
  'approval_already_decided',
  'approval_outdated',
  'not_returned',
  'already_returned',
  'closure_incomplete',
  'no_change',
  'unknown_party',
  'handover_not_found',
  'handover_already_accepted',
  'follow_ups_outstanding',
  // Foster care's police decision (only a named social worker who has been told, never after a report).
  'police_needed_high_risk',
  'police_already_reported',
  'social_worker_not_told',
  'decider_required',
]);

describe('engine.execute with generated input', () => {
  it('refuses any value at all as invalid input, clearly, without throwing or writing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true, withSet: true }),
        async (input) => {
          const before = await writtenRows(bot);
          const result = await bot.engine.execute(input);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.error.code).toBe('invalid_input');
          expectClearRefusal(result.error);
          expect(await writtenRows(bot)).toEqual(before);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('answers every command type with hostile fields by a result or a known refusal, and the record stays whole', async () => {
    await fc.assert(
      fc.asyncProperty(command, async (input) => {
        const before = await writtenRows(bot);
        const result = await bot.engine.execute(input);
        if (result.ok) return;
        expect(known).toContain(result.error.code);
        expectClearRefusal(result.error);
        if (result.error.code === 'invalid_input') expect(await writtenRows(bot)).toEqual(before);
      }),
      { numRuns: 300 },
    );
    await expectConsistent(bot.database.prisma);
  });
});

describe('thread messages replayed and out of order', () => {
  /** A message event: which message (of three), what happened to it, and its event id (of five, so they repeat). */
  const event = fc.record({
    message: fc.constantFrom('m1', 'm2', 'm3'),
    change: fc.constantFrom('posted', 'edited', 'deleted'),
    event: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5'),
    text: hostileText,
  });

  it('records each event once however often it comes, in whatever order, and a full replay adds nothing', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (events) => {
        run += 1;
        const send = (e: (typeof events)[number]) =>
          bot.engine.execute({
            type: 'record_message',
            eventId: `run${run}-${e.event}`,
            actor: jo,
            thread: { platform: 'web', threadRef },
            messageId: `run${run}-${e.message}`,
            text: e.text,
            change: e.change,
          });
        const applied = new Set<string>();
        for (const e of events) {
          const result = await send(e);
          if (result.ok && !result.duplicate) {
            expect(applied.has(e.event)).toBe(false); // an event id is applied once at most
            applied.add(e.event);
          }
          if (!result.ok) expect(['text_empty', 'text_too_long']).toContain(result.error.code);
        }
        const before = await writtenRows(bot);
        for (const e of events) {
          const again = await send(e);
          expect(again.ok ? again.duplicate === true : ['text_empty', 'text_too_long'].includes(again.error.code)).toBe(
            true,
          );
        }
        expect(await writtenRows(bot)).toEqual(before);
      }),
      { numRuns: 60 },
    );
    const { entries } = await expectConsistent(bot.database.prisma);
    expect(entries).toBeGreaterThan(0);
    // Edits and deletions point at the message they change, when it was recorded at all.
    const amends = await bot.database.prisma.logEntry.findMany({ where: { episodeId, amendsEntryId: { not: null } } });
    for (const a of amends) {
      const original = await bot.database.prisma.logEntry.findUniqueOrThrow({ where: { id: a.amendsEntryId! } });
      expect([original.platformMessageId, original.kind]).toEqual([a.platformMessageId, 'message']);
    }
  });
});
