import { describe, expect, it } from 'vitest';
import {
  annexACsv,
  annexARows,
  collectionYear,
  collectionYearOf,
  missingTable,
  missingTableCsv,
  returnsGaps,
  type ReturnsEpisode,
} from '../../src/reports/returns-csv.ts';
import { missingTableProblems } from '../support/ssda903.ts';

const tz = 'Europe/London';
const year = collectionYear(2026); // 1 April 2026 – 31 March 2027
const episode = (more: Partial<ReturnsEpisode>): ReturnsEpisode => ({
  alias: 'AJ',
  childRef: 'LA0042',
  dateOfBirth: '2010-05-14',
  startedAt: new Date('2026-11-20T21:55:00Z'),
  endedAt: new Date('2026-11-22T08:00:00Z'),
  classifications: [{ classification: 'missing', at: new Date('2026-11-20T22:10:00Z') }],
  rhi: { offered: true, accepted: false, reoffered: false, offeredAt: new Date('2026-11-22T10:00:00Z'), heldAt: null },
  whereFound: 'Bus station',
  ...more,
});
const spans = (...episodes: ReturnsEpisode[]) =>
  missingTable(episodes, tz, year).map((r) => `${r.type} ${r.start}-${r.end}`);

describe('the SSDA903 Missing table', () => {
  it('has exactly the five columns, in the specification’s order, and passes the table’s rules', () => {
    const rows = missingTable([episode({})], tz, year);
    expect(rows).toEqual([{ child: 'LA0042', dob: '14/05/2010', type: 'M', start: '20/11/2026', end: '22/11/2026' }]);
    const csv = missingTableCsv(rows);
    expect(csv).toBe('CHILD,DOB,MISSING,MIS_START,MIS_END\r\nLA0042,14/05/2010,M,20/11/2026,22/11/2026\r\n');
    expect(missingTableProblems(csv, year)).toEqual([]);
  });

  it('closes one row and opens the next on the same date at each M↔A change, and leaves absent out', () => {
    const e = episode({
      classifications: [
        { classification: 'missing', at: new Date('2026-11-20T22:10:00Z') },
        { classification: 'away_without_authorisation', at: new Date('2026-11-21T10:00:00Z') },
        { classification: 'absent', at: new Date('2026-11-21T15:00:00Z') },
        { classification: 'missing', at: new Date('2026-11-21T23:30:00Z') },
      ],
    });
    expect(spans(e)).toEqual(['M 20/11/2026-21/11/2026', 'A 21/11/2026-21/11/2026', 'M 21/11/2026-22/11/2026']);
    expect(missingTableProblems(missingTableCsv(missingTable([e], tz, year)), year)).toEqual([]);
  });

  it('clips to the collection year: a real start before 1 April, a blank end for one still running at 31 March', () => {
    const before = episode({
      startedAt: new Date('2026-03-30T18:00:00Z'),
      endedAt: new Date('2026-04-02T09:00:00Z'),
      classifications: [{ classification: 'missing', at: new Date('2026-03-30T18:10:00Z') }],
    });
    const over = episode({
      startedAt: new Date('2027-03-30T18:00:00Z'),
      endedAt: new Date('2027-04-02T09:00:00Z'),
      classifications: [{ classification: 'missing', at: new Date('2027-03-30T18:10:00Z') }],
    });
    const still = episode({
      alias: 'BT',
      childRef: 'LA0007',
      startedAt: new Date('2027-01-10T18:00:00Z'),
      endedAt: null,
    });
    const lastYear = episode({
      startedAt: new Date('2026-03-01T18:00:00Z'),
      endedAt: new Date('2026-03-02T09:00:00Z'),
    });
    expect(spans(before, over, still, lastYear)).toEqual(['M 10/01/2027-', 'M 30/03/2026-02/04/2026', 'M 30/03/2027-']);
    expect(
      missingTableProblems(missingTableCsv(missingTable([before, over, still, lastYear], tz, year)), year),
    ).toEqual([]);
    // The year before has the March episode, and the one running into April with a blank end (its
    // 2 April falls after that year's 31 March).
    expect(missingTable([before, lastYear], tz, collectionYear(2025)).map((r) => `${r.start}-${r.end}`)).toEqual([
      '01/03/2026-02/03/2026',
      '30/03/2026-',
    ]);
  });

  it('counts every episode however short, by the home’s dates (23:30 UTC in summer is the next day)', () => {
    const short = episode({
      startedAt: new Date('2026-07-03T23:30:00Z'),
      endedAt: new Date('2026-07-03T23:50:00Z'),
      classifications: [{ classification: 'missing', at: new Date('2026-07-03T23:35:00Z') }],
    });
    expect(spans(short)).toEqual(['M 04/07/2026-04/07/2026']);
  });

  it('sorts by child then start, one row set per child, whichever home the episodes were in', () => {
    const bt = episode({
      alias: 'BT',
      childRef: 'LA0007',
      startedAt: new Date('2026-12-01T10:00:00Z'),
      endedAt: new Date('2026-12-01T16:00:00Z'),
    });
    const ajOtherHome = episode({
      startedAt: new Date('2026-06-01T10:00:00Z'),
      endedAt: new Date('2026-06-01T18:00:00Z'),
    });
    const rows = missingTable([episode({}), bt, ajOtherHome], tz, year);
    expect(rows.map((r) => `${r.child} ${r.start}`)).toEqual([
      'LA0007 01/12/2026',
      'LA0042 01/06/2026',
      'LA0042 20/11/2026',
    ]);
    expect(missingTableProblems(missingTableCsv(rows), year)).toEqual([]);
  });

  it('names the children whose authority id or date of birth is missing (both mandatory)', () => {
    expect(
      returnsGaps([
        episode({}),
        episode({ alias: 'BT', childRef: null }),
        episode({ alias: 'CK', childRef: null, dateOfBirth: null }),
        episode({ alias: 'CK', childRef: null, dateOfBirth: null }),
      ]),
    ).toEqual({ noAuthorityId: ['BT', 'CK'], noDateOfBirth: ['CK'] });
    expect(returnsGaps([episode({})])).toBeNull();
  });

  it('names the collection year a date falls in', () => {
    expect(collectionYearOf('2027-03-31')).toEqual(collectionYear(2026));
    expect(collectionYearOf('2027-04-01')).toMatchObject({ startYear: 2027, from: '2027-04-01', label: '2027-28' });
  });
});

describe('the Annex A figures', () => {
  const asOf = new Date('2026-12-01T12:00:00Z');

  it('counts missing and away episodes over 12 months and says Yes / No / Unknown for the RHI after the last one', () => {
    const away = episode({
      startedAt: new Date('2026-08-01T10:00:00Z'),
      endedAt: new Date('2026-08-01T20:00:00Z'),
      classifications: [{ classification: 'away_without_authorisation', at: new Date('2026-08-01T10:00:00Z') }],
    });
    const old = episode({ startedAt: new Date('2025-06-01T10:00:00Z'), endedAt: new Date('2025-06-01T12:00:00Z') });
    const held = episode({
      rhi: {
        offered: true,
        accepted: true,
        reoffered: false,
        offeredAt: new Date('2026-11-22T10:00:00Z'),
        heldAt: new Date('2026-11-26T10:00:00Z'),
      },
    });
    const [row] = annexARows([old, away, held], tz, asOf);
    expect(row).toEqual({
      child: 'LA0042',
      missingEpisodes: 1,
      awayEpisodes: 1,
      rhiOffered: 'Yes',
      rhiAccepted: 'Yes',
      lastStart: '2026-11-20',
      lastEnd: '2026-11-22',
      rhiOfferedOn: '2026-11-22',
      rhiHeldOn: '2026-11-26',
      // Held four days after the return: past the 72 hours.
      rhiBreach: 'Y',
      whereFound: 'Bus station',
    });
    expect(annexACsv([row!]).split('\r\n').slice(0, 2)).toEqual([
      'CHILD,MISSING_EPISODES_12_MONTHS,AWAY_EPISODES_12_MONTHS,RHI_OFFERED_AFTER_LAST_MISSING,RHI_ACCEPTED_AFTER_LAST_MISSING,LAST_MISSING_START,LAST_MISSING_END,RHI_OFFERED_ON,RHI_HELD_ON,RHI_72H_BREACH,WHERE_FOUND',
      'LA0042,1,1,Yes,Yes,20/11/2026,22/11/2026,22/11/2026,26/11/2026,Y,Bus station',
    ]);
  });

  it('counts a refusal with the interview offered again as no breach, and a refusal alone as one after 72 hours', () => {
    const refused = (reoffered: boolean) =>
      episode({
        rhi: { offered: true, accepted: false, reoffered, offeredAt: new Date('2026-11-22T10:00:00Z'), heldAt: null },
      });
    expect(annexARows([refused(true)], tz, asOf)[0]).toMatchObject({
      rhiOffered: 'Yes',
      rhiAccepted: 'No',
      rhiBreach: 'N',
    });
    expect(annexARows([refused(false)], tz, asOf)[0]).toMatchObject({ rhiBreach: 'Y' });
  });

  it('says Unknown while the child is still missing, No once 72 hours passed with no offer, and guards free text', () => {
    const missing = annexARows(
      [
        episode({
          endedAt: null,
          rhi: { offered: false, accepted: null, reoffered: false, offeredAt: null, heldAt: null },
        }),
      ],
      tz,
      asOf,
    );
    expect(missing[0]).toMatchObject({ rhiOffered: 'Unknown', rhiAccepted: 'Unknown', rhiBreach: '' });
    const none = episode({
      rhi: { offered: false, accepted: null, reoffered: false, offeredAt: null, heldAt: null },
      whereFound: '=HYPERLINK("x")',
    });
    expect(annexARows([none], tz, new Date('2026-11-23T08:00:00Z'))[0]).toMatchObject({
      rhiOffered: 'Unknown',
      rhiBreach: '',
    });
    const late = annexARows([none], tz, asOf);
    expect(late[0]).toMatchObject({ rhiOffered: 'No', rhiAccepted: 'Unknown', rhiBreach: 'Y' });
    expect(annexACsv(late).split('\r\n')[1]).toBe(
      `LA0042,1,0,No,Unknown,20/11/2026,22/11/2026,,,Y,"'=HYPERLINK(""x"")"`,
    );
  });
});
