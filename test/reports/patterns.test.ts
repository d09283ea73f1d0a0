import { describe, expect, it } from 'vitest';
import { computePatterns } from '../../src/reports/patterns.ts';
import { ajHistory, ep, hours } from '../support/patterns-history.ts';

const now = new Date('2026-11-20T22:10:00Z'); // a Friday
describe('patterns across a child’s episodes', () => {
  const r = computePatterns(ajHistory, { subject: 'AJ', timeZone: 'Europe/London', now, perChild: true });

  it('counts episodes over 30, 90 and 365 days', () => {
    expect(r.counts).toEqual({ days30: 3, days90: 5, days365: 5, total: 6 });
  });

  it('places each start in the home’s weekday × hour grid, across the clock change', () => {
    expect(r.grid[4]![19]).toBe(2); // Fri 19:45 BST and Fri 19:30 GMT
    expect(r.grid[4]![20]).toBe(2); // Fri 20:00 BST and Fri 20:15 GMT
    expect(r.grid[1]![9]).toBe(1); // Tue 09:00
    expect(r.byWeekday).toEqual([0, 1, 0, 0, 4, 0, 0]);
    expect(r.byPart).toEqual({ night: 0, morning: 1, afternoon: 0, evening: 4 });
  });

  it('gives the typical duration, where found, people and RHI take-up', () => {
    expect(r.duration).toEqual({ medianMs: hours(6), longestMs: hours(10), returned: 5 });
    expect(r.whereFound).toEqual([
      { place: 'Town centre bus station', count: 3 },
      { place: 'Riverside park', count: 1 },
      { place: 'school', count: 1 },
    ]);
    expect(r.people).toEqual([
      { name: 'T', count: 3 },
      { name: 'Kay', count: 2 },
    ]);
    expect(r.rhi).toEqual({ returned: 5, offered: 4, accepted: 2, declined: 1 });
  });

  it('calls the signals out in words', () => {
    expect(r.signals).toEqual([
      '4 of the last 5 episodes began on a Friday evening.',
      'Found at Town centre bus station in 3 of the last 5 returns.',
      '“T” was named as with the child in 3 episodes.',
      '“Kay” was named as with the child in 2 episodes.',
      '5 episodes in the last 12 months: the return home interview matters all the more, and a review of the care plan should be asked for.',
      'No return home interview offer is recorded after 1 of the 5 returns in the last 12 months.',
    ]);
  });

  it('says nothing is repeated when nothing is', () => {
    const one = computePatterns([ep('2026-11-01T10:00:00Z', 1)], {
      subject: 'BT',
      timeZone: 'Europe/London',
      now,
      perChild: true,
    });
    expect(one.signals).toEqual([
      'No return home interview offer is recorded after the only return in the last 12 months.',
    ]);
    expect(one.counts).toEqual({ days30: 1, days90: 1, days365: 1, total: 1 });
  });
});
