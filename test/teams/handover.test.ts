import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordOf } from '../support/bot.ts';
import { channelMessage, people, personalActionExecute, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey, TENANT } from '../support/teams/bot-framework.ts';
import { actionsOf, cardsOf, textsOf } from '../support/teams/cards.ts';
import { openAjInTeams, ROOT } from '../support/teams/flows.ts';
import {
  activitiesPath,
  conversationsPath,
  expectCall,
  startTeamsTest,
  threadTraffic,
  type TeamsTest,
} from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
let episodeId: string;
beforeEach(async () => {
  // AJ goes missing ten minutes before the 22:00 shift change.
  t = await startTeamsTest({ at: '2026-11-20T21:50:00Z' });
  ({ episodeId } = await openAjInTeams(t, key));
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

describe('shift handover in Teams', () => {
  it('reaches the on-call manager in a personal chat, and their "I accept handover" there is recorded', async () => {
    t.bot.clock.set('2026-11-20T22:00:30Z');
    expect(await t.bot.engine.runShiftHandovers()).toBe(1);

    // Sam has never written to the bot: the one-to-one chat is opened for the message.
    const chat = 'a:1sam-personal-chat';
    const opened = expectCall('post', conversationsPath(), 201, { id: chat });
    const direct = expectCall('post', activitiesPath(chat), 201, { id: '1700000003001' });
    const inThread = threadTraffic(thread(ROOT));
    expect(await t.deliver()).toMatchObject({ failed: 0, retried: 0 });
    inThread.stop();
    expect(opened[0]).toMatchObject({ isGroup: false, tenantId: TENANT, members: [{ id: people.sam.aadObjectId }] });
    expect(textsOf(cardsOf(inThread.calls[0]!.body)[0])[0]).toBe('Shift handover — AJ');

    const summary = cardsOf(direct[0])[0]!;
    expect(textsOf(summary)[0]).toBe('Handover for Oak House: 1 missing');
    const accept = actionsOf(summary).find((a) => a.verb === 'accept_handover')!;
    expect(accept).toMatchObject({ type: 'Action.Execute', title: 'I accept handover' });

    const press = personalActionExecute({
      id: '1700000003002',
      verb: 'accept_handover',
      data: accept.data,
      card: '1700000003001',
      from: people.sam,
    });
    const response = await t.post(press, channelToken(key));
    expect(response.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Thank you — you have accepted the handover. It is in the record of every open episode.',
    });
    expect((await recordOf(t.bot, episodeId)).at(-1)).toMatchObject({
      kind: 'handover_accepted',
      authorName: 'Sam Okafor',
    });
  });

  it('gives the summary on demand with "missing handover"', async () => {
    const reply = expectCall('post', activitiesPath(thread('1700000003101'), '1700000003101'), 200, { id: 'r' });
    await t.post(
      channelMessage({ id: '1700000003101', text: 'missing handover', mentionBot: true }),
      channelToken(key),
    );
    expect(textsOf(cardsOf(reply[0])[0]).slice(0, 2)).toEqual(['Handover for Oak House: 1 missing', 'AJ — open']);
  });
});
