import type { Episode } from '../../src/domain/episode.ts';
import type { ApprovalRecord } from '../../src/domain/approval.ts';
import {
  approvalCard,
  checklistCard,
  markedAsDrill,
  noticeCard,
  pingCard,
  settledCard,
  statusCard,
  welcomeCard,
} from '../../src/messages/cards.ts';
import { episodeCard } from '../../src/messages/episode-card.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';

// Every kind of card the bot sends, in each of its states, for each platform's render tests.

export const at = new Date('2026-11-20T22:10:00Z');
export const tz = 'Europe/London';
export const episode: Episode = {
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

export const everyCard: [string, Card][] = [
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
  ['drill notice', markedAsDrill(noticeCard('Contact attempt by phone: no answer'))],
  [
    'reminder with mentions',
    pingCard(episode, 'Report AJ to the police now.', 'Sam Okafor', at, tz, {
      mentions: [{ name: 'Sam Okafor', platformUserId: 'U0SAM' }],
    }),
  ],
  [
    'approval pending, managers only',
    {
      ...approvalCard(approval, episode, { requester: 'Jo Reid' }, tz),
      personal: { key: 'approval:ap-1', forPlatformUserIds: ['0c7e3b9a-5f21-4d8e-a6b4-2f9d1c3e5a71'] },
    },
  ],
  [
    'handover accepted',
    settledCard(
      {
        title: 'Handover',
        tone: 'info',
        blocks: [{ type: 'actions', actions: [{ id: 'accept_handover', label: 'I accept handover', value: 'h1' }] }],
        fallback: 'Handover',
      },
      'Accepted by Sam Okafor at Fri 20 Nov 22:15.',
    ),
  ],
  ['welcome', welcomeCard('`@Missing bot missing <child>`', 'Type `missing help` for every command.')],
];
