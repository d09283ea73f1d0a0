import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordOf } from '../support/bot.ts';
import { CHANNEL, taskModule } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { expectValidCard } from '../support/teams/cards.ts';
import { startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

// A fostering service in Teams: the carer's dialogs take their options from the fostering
// procedure (its people to tell, the social worker's name for a police decision), and the
// decision is recorded as the social worker's, with no manager asked.
const key = signingKey('bf-key-1');
const rosa = { id: '29:1rosa-teams-id', name: 'Rosa Hill', aadObjectId: '3f1a6c2e-8b4d-4e9a-9c7f-5d2b1e0a4c86' };
const homes = `
homes:
  - id: brook
    name: Brook Fostering
    kind: fostering
    timeZone: Europe/London
    channels:
      teams: '${CHANNEL}'
    onCall: [lee]
    staff:
      - { id: dana, name: Dana Cole, role: manager, teams: 'a0000000-0000-4000-8000-00000000da7a' }
      - { id: lee, name: Lee Marsh, role: supervising_social_worker, teams: 'a0000000-0000-4000-8000-0000000001ee' }
      - { id: rosa, name: Rosa Hill, role: foster_carer, teams: '${rosa.aadObjectId}' }
    children:
      - id: child-cm
        alias: CM
        placement: { carers: [rosa], supervisingSocialWorker: lee }
        plan: { reportAfterMinutes: 30 }
`;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
beforeEach(async () => {
  t = await startTeamsTest({ homes });
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

type TaskResponse = {
  task: { type: string; value: { title: string; card: { content: Record<string, unknown> } } | string };
};
async function dialog(name: 'task/fetch' | 'task/submit', id: string, data: unknown) {
  const response = await t.post(taskModule({ id, name, data, root: '1700000000101', from: rosa }), channelToken(key));
  expect(response.status).toBe(200);
  return response.body as TaskResponse;
}

describe('a child missing from foster care, in Teams', () => {
  it('offers the fostering parties and records the social worker’s police decision under their name', async () => {
    const opened = await dialog('task/submit', '1700000001001', {
      verb: 'submit_form',
      value: `open_episode|${CHANNEL}`,
      child: 'CM',
    });
    expect(opened.task).toEqual({ type: 'message', value: 'Episode opened for CM. The checklist is in the thread.' });
    const episode = await t.bot.database.prisma.episode.findFirstOrThrow();
    const value = `notification|${episode.id}|`;

    const fetched = await dialog('task/fetch', '1700000001002', { verb: 'open_form', value });
    const card = (fetched.task.value as { card: { content: Record<string, unknown> } }).card.content;
    expectValidCard(card);
    const body = card.body as { id?: string; choices?: { value: string }[] }[];
    expect(body.find((e) => e.id === 'party')!.choices!.map((c) => c.value)).toEqual(
      expect.arrayContaining(['social-worker', 'supervising-social-worker', 'agency-on-call', 'safeguarding-lead']),
    );
    expect(body.some((e) => e.id === 'decidedBy')).toBe(true);

    await dialog('task/submit', '1700000001003', {
      verb: 'submit_form',
      value,
      party: 'edt',
      decision: 'notified',
    });
    await dialog('task/submit', '1700000001004', {
      verb: 'submit_form',
      value,
      party: 'police',
      decision: 'not_required',
      decidedBy: 'Ms Patel',
      reason: 'Found at her friend’s through Rosa’s calls; safe',
    });
    const entries = (await recordOf(t.bot, episode.id)).filter((e) => e.kind === 'notification');
    expect(entries.map((e) => [e.authorName, e.text])).toEqual([
      ['Rosa Hill', 'Notified Emergency duty team (out of hours).'],
      [
        'Rosa Hill',
        'The child’s social worker decided the police need not be told (decided by Ms Patel, recorded by Rosa Hill): Found at her friend’s through Rosa’s calls; safe',
      ],
    ]);
    expect(await t.bot.store.transaction((tx) => tx.approvals.pendingFor(episode.id))).toEqual([]);
  });
});
