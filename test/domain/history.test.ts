import { describe, expect, it } from 'vitest';
import { ageOn, childHistory, derivedFactors, ordinal, type HistoryRules } from '../../src/domain/history.ts';
import { checkPolicy, homePolicySchema, inWindow } from '../../src/protocol/policy.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';

const rules: HistoryRules = { night: { from: '22:00', to: '06:00' }, repeatWithinDays: 30, longEpisodeHours: 24 };
const at = (iso: string) => new Date(iso);

describe('a child’s age on the day', () => {
  it('turns 13 on the birthday in the home’s zone, not in UTC', () => {
    // 23:30 UTC on 9 March is 9 March in London (GMT) but already 10 March in Tokyo.
    expect(ageOn('2013-03-10', at('2026-03-09T23:30:00Z'), 'Europe/London')).toBe(12);
    expect(ageOn('2013-03-10', at('2026-03-09T23:30:00Z'), 'Asia/Tokyo')).toBe(13);
    expect(ageOn('2013-03-10', at('2026-03-10T00:00:00Z'), 'Europe/London')).toBe(13);
  });
});

describe('night-time', () => {
  it('runs over midnight and ends at its end', () => {
    const night = { from: '22:00', to: '06:00' };
    expect([21 * 60 + 59, 22 * 60, 0, 5 * 60 + 59, 6 * 60].map((m) => inWindow(m, night))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('may be widened by a home but never narrowed', () => {
    const policy = (nightHours: { from: string; to: string }) => homePolicySchema.parse({ nightHours });
    expect(checkPolicy(defaultProtocol, policy({ from: '21:00', to: '07:00' }))).toEqual([]);
    expect(checkPolicy(defaultProtocol, policy({ from: '23:00', to: '06:00' }))).toEqual([
      {
        path: ['nightHours'],
        message: '23:00–06:00 would loosen the protocol: night-time must cover at least 22:00–06:00',
      },
    ]);
  });
});

describe('the factors a history shows', () => {
  const earlier = [
    {
      id: 'e1',
      openedAt: at('2026-10-01T10:00:00Z'),
      lastSeenAt: null,
      returnedAt: at('2026-10-02T12:00:00Z'),
      indicators: [],
    },
    {
      id: 'e2',
      openedAt: at('2026-11-25T10:00:00Z'),
      lastSeenAt: null,
      returnedAt: at('2026-11-25T14:00:00Z'),
      indicators: ['injuries'],
    },
  ];

  it('names a repeat, an earlier long episode and earlier exploitation indicators, with why', () => {
    const found = derivedFactors({
      now: at('2026-12-01T15:00:00Z'),
      timeZone: 'Europe/London',
      dateOfBirth: '2010-05-14',
      earlier,
      rules,
    });
    expect(found).toEqual([
      { id: 'repeat-episodes', why: 'repeat episode: the 2nd in 30 days' },
      { id: 'long-episodes', why: 'an earlier episode lasted 24 hours or more' },
      { id: 'previous-exploitation', why: 'exploitation indicators were recorded on an earlier return' },
    ]);
  });

  it('finds nothing for a first episode of a 16-year-old in the afternoon', () => {
    expect(
      derivedFactors({
        now: at('2026-12-01T15:00:00Z'),
        timeZone: 'Europe/London',
        dateOfBirth: '2010-05-14',
        earlier: [],
        rules,
      }),
    ).toEqual([]);
  });

  it('sums up the history for the opening card', () => {
    expect(childHistory(earlier, at('2026-12-01T15:00:00Z'), rules)).toEqual({
      recentCount: 2,
      windowDays: 30,
      lastReturnedAt: at('2026-11-25T14:00:00Z'),
      lastReturnIndicators: true,
    });
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});
