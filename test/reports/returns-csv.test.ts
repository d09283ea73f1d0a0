import { describe, expect, it } from 'vitest';
import { returnsCsv, returnsRows, rowsOf, type ReturnsEpisode } from '../../src/reports/returns-csv.ts';

const tz = 'Europe/London';
const episode = (more: Partial<ReturnsEpisode>): ReturnsEpisode => ({
  childRef: 'child-aj',
  dateOfBirth: '2010-05-14',
  startedAt: new Date('2026-11-20T21:55:00Z'),
  endedAt: new Date('2026-11-22T08:00:00Z'),
  classifications: [{ classification: 'missing', at: new Date('2026-11-20T22:10:00Z') }],
  rhi: { offered: true, accepted: false },
  whereFound: 'Bus station',
  ...more,
});
const spans = (e: ReturnsEpisode) => rowsOf(e, tz).map((r) => `${r.type} ${r.start}-${r.end}`);

describe('rows of the missing table', () => {
  it('is one M row for an episode that stayed missing, with RHI and where found', () => {
    expect(rowsOf(episode({}), tz)).toEqual([
      {
        child: 'child-aj',
        dob: '14/05/2010',
        type: 'M',
        start: '20/11/2026',
        end: '22/11/2026',
        rhiOffered: 'Y',
        rhiAccepted: 'N',
        whereFound: 'Bus station',
      },
    ]);
  });

  it('closes one row and opens the next on the same date at each M↔A change, never overlapping', () => {
    const e = episode({
      classifications: [
        { classification: 'missing', at: new Date('2026-11-20T22:10:00Z') },
        { classification: 'away_without_authorisation', at: new Date('2026-11-21T10:00:00Z') },
        { classification: 'missing', at: new Date('2026-11-21T23:30:00Z') },
      ],
    });
    expect(spans(e)).toEqual(['M 20/11/2026-21/11/2026', 'A 21/11/2026-21/11/2026', 'M 21/11/2026-22/11/2026']);
    // Only the last row, the one the return closes, carries the RHI and where found.
    expect(rowsOf(e, tz).map((r) => r.rhiOffered)).toEqual(['NA', 'NA', 'Y']);
  });

  it('leaves "absent" periods out of the table, and a change after the return too', () => {
    const e = episode({
      classifications: [
        { classification: 'missing', at: new Date('2026-11-20T22:10:00Z') },
        { classification: 'absent', at: new Date('2026-11-21T09:00:00Z') },
        { classification: 'missing', at: new Date('2026-11-21T20:00:00Z') },
        { classification: 'absent', at: new Date('2026-11-23T09:00:00Z') },
      ],
    });
    expect(spans(e)).toEqual(['M 20/11/2026-21/11/2026', 'M 21/11/2026-22/11/2026']);
  });

  it('leaves the end empty while the child is still missing, and RHI as NA', () => {
    const rows = rowsOf(episode({ endedAt: null, rhi: { offered: false, accepted: null } }), tz);
    expect(rows).toEqual([expect.objectContaining({ end: '', rhiOffered: 'NA', rhiAccepted: 'NA', whereFound: '' })]);
  });

  it('uses the home’s dates: 23:30 UTC in summer is the next day in London', () => {
    const e = episode({
      startedAt: new Date('2026-07-03T23:30:00Z'),
      endedAt: new Date('2026-07-04T02:00:00Z'),
      classifications: [{ classification: 'missing', at: new Date('2026-07-03T23:40:00Z') }],
    });
    expect(spans(e)).toEqual(['M 04/07/2026-04/07/2026']);
  });

  it('keeps the rows that overlap the range, by child and start, as CSV a spreadsheet cannot misread', () => {
    const rows = returnsRows(
      [
        episode({ childRef: 'child-bt', whereFound: '=HYPERLINK("x")' }),
        episode({ startedAt: new Date('2026-10-01T10:00:00Z'), endedAt: new Date('2026-10-31T10:00:00Z') }),
        episode({ startedAt: new Date('2026-09-01T10:00:00Z'), endedAt: new Date('2026-09-02T10:00:00Z') }),
      ],
      tz,
      '2026-10-31',
      '2026-11-30',
    );
    expect(rows.map((r) => `${r.child} ${r.start}`)).toEqual(['child-aj 01/10/2026', 'child-bt 20/11/2026']);
    expect(returnsCsv(rows).split('\r\n')[2]).toBe(
      `child-bt,14/05/2010,M,20/11/2026,22/11/2026,Y,N,"'=HYPERLINK(""x"")"`,
    );
  });
});
