import { describe, expect, it } from 'vitest';
import { renderCard } from '../../adapters/teams/render/card.ts';
import { formTask } from '../../adapters/teams/render/form-card.ts';
import type { Episode } from '../../src/domain/episode.ts';
import { approvalCard, checklistCard, noticeCard, pingCard, statusCard } from '../../src/messages/cards.ts';
import { episodeCard } from '../../src/messages/episode-card.ts';
import { formSpec, openEpisodeFormSpec } from '../../src/messages/form-specs.ts';
import { formIds } from '../../src/messages/forms.ts';
import type { Card } from '../../src/messages/outbound.ts';
import type { ApprovalRecord } from '../../src/ports/store.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';
import { cardProblems, expectValidCard, TEAMS_MESSAGE_LIMIT, textsOf } from '../support/teams/cards.ts';

const at = new Date('2026-11-20T22:10:00Z');
const tz = 'Europe/London';
const episode: Episode = {
  id: 'ep-1',
  homeId: 'oak-house',
  childId: 'child-aj',
  alias: 'AJ',
  status: 'open',
  classification: 'missing',
  riskLevel: 'medium',
  riskFactors: ['out-of-pattern'],
  isDrill: false,
  drillSpeed: 1,
  openedAt: at,
  lastSeenAt: at,
  lastSeenPlace: 'Bus station',
  lastSeenBy: 'Jo',
  clothing: null,
  withWhom: null,
  platform: 'teams',
  threadRef: null,
  police: null,
  returnedAt: null,
  policeToldOfReturnAt: null,
  safeAndWellAt: null,
  riskAssessmentUpdatedAt: null,
  rhi: { status: 'none', offeredAt: null, heldAt: null },
  closedAt: null,
  checklist: { 'search-building': { status: 'done', reason: null, byStaffId: 'jo', at } },
  lastContactAttemptAt: null,
  highRiskSince: null,
  previousEpisodeId: null,
  policeNotRequiredAt: null,
  openedByStaffId: 'jo',
  historyNote: '2nd episode in 30 days; last returned 10 min ago',
};
const approval: ApprovalRecord = {
  id: 'ap-1',
  episodeId: 'ep-1',
  kind: 'downgrade_risk',
  status: 'pending',
  payload: { to: 'low', from: 'medium', reason: 'At her aunt’s' },
  requestedByStaffId: 'jo',
  requestedAt: at,
  decidedByStaffId: null,
  decidedAt: null,
  note: null,
};

const everyCard: [string, Card][] = [
  ...(
    [
      ['open', episode],
      ['returned', { ...episode, status: 'returned', returnedAt: at }],
      ['closed', { ...episode, status: 'closed', returnedAt: at, closedAt: at }],
    ] as [string, Episode][]
  ).map(([state, e]): [string, Card] => [
    `episode card ${state}`,
    episodeCard({
      episode: e,
      protocol: defaultProtocol,
      timeZone: tz,
      now: at,
      openedBy: 'Jo Reid',
      next: { title: 'Report to the police', dueAt: at, forWhom: 'Sam Okafor' },
      policeDueBy: e.status === 'open' ? at : null,
    }),
  ]),
  ...defaultProtocol.stages.map((s): [string, Card] => [
    `checklist ${s.id}`,
    checklistCard(episode, defaultProtocol, s.id, tz),
  ]),
  ['reminder', pingCard(episode, 'Report AJ to the police now.', 'the on-call manager', at, tz)],
  ['approval pending', approvalCard(approval, episode, { requester: 'Jo Reid' }, tz, ['Tell the police'])],
  [
    'approval decided',
    approvalCard(
      { ...approval, status: 'approved', decidedByStaffId: 'sam', decidedAt: at },
      episode,
      { requester: 'Jo', decider: 'Sam' },
      tz,
    ),
  ],
  ['status', statusCard(episode, defaultProtocol, tz, at, [{ rule: 'police-not-told', dueAt: at }])],
  ['notice', noticeCard('Episode opened for AJ.', 'urgent')],
];

describe('rendering neutral cards as Adaptive Cards 1.5', () => {
  it.each(everyCard)('renders the %s card as one valid message', (_name, card) => {
    const rendered = renderCard(card);
    expect(rendered).toHaveLength(1);
    expectValidCard(rendered[0]);
    if (card.title) expect(textsOf(rendered[0])[0]).toBe(card.title);
  });

  it.each([...formIds])('renders the %s form as a valid dialog card', (id) => {
    const task = formTask(formSpec(id, defaultProtocol, tz), `${id}|ep-1|`, {
      error: 'Please check',
      prior: { reason: 'x' },
    });
    expectValidCard(task.card.content);
    expect(task.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('renders the open-episode form, even for a home with no children listed', () => {
    expectValidCard(formTask(openEpisodeFormSpec(['AJ', 'BT'], tz), 'open_episode|c').card.content);
    expectValidCard(formTask(openEpisodeFormSpec([], tz), 'open_episode|c').card.content);
  });

  it('catches what it is meant to catch: an unknown element, a wrong version', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.2', body: [] })).toContain('declares version 1.2');
  });
});

describe('content longer than one Teams message', () => {
  const long = (n: number) =>
    Array.from({ length: n }, (_, i) => `Line ${i}: ${'searched the park and the bus station '.repeat(3)}`).join('\n');

  it('splits into several valid cards under the limit, in order, losing nothing', () => {
    const text = long(700); // about 80 KB
    const card: Card = {
      title: 'AJ: record so far',
      tone: 'info',
      fallback: 'AJ: record so far',
      blocks: [
        { type: 'text', text },
        {
          type: 'fields',
          fields: Array.from({ length: 200 }, (_, i) => ({ label: `Fact ${i}`, value: 'x'.repeat(100) })),
        },
      ],
    };
    const parts = renderCard(card);
    expect(parts.length).toBeGreaterThan(3);
    parts.forEach((p) => {
      expectValidCard(p);
      expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(24 * 1024);
    });
    expect(textsOf(parts[0])[0]).toBe('AJ: record so far');
    expect(textsOf(parts[1])[0]).toBe('AJ: record so far (continued)');
    const body = parts.flatMap((p) => textsOf(p).slice(1));
    const facts = body.filter((s) => /^Fact \d+: x+$/.test(s));
    expect(body.filter((s) => !facts.includes(s)).join('')).toBe(text);
    expect(facts).toHaveLength(200);
    expect(TEAMS_MESSAGE_LIMIT).toBe(28 * 1024);
  });

  it('splits a single endless word too', () => {
    const parts = renderCard(noticeCard('x'.repeat(100_000)));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach(expectValidCard);
    expect(
      parts
        .flatMap((p) => textsOf(p))
        .filter((s) => s !== '(continued)')
        .join(''),
    ).toBe('x'.repeat(100_000));
  });
});
