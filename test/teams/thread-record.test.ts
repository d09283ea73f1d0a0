import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { recordOf, writtenRows } from '../support/bot.ts';
import { channelMessage, messageChange, people, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { cardsOf, textsOf } from '../support/teams/cards.ts';
import { openAjInTeams, ROOT } from '../support/teams/flows.ts';
import { activitiesPath, expectCall, startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');
const send = (activity: unknown) => t.post(activity, channelToken(key));

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
let episodeId: string;
beforeEach(async () => {
  t = await startTeamsTest();
  ({ episodeId } = await openAjInTeams(t, key));
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

const messages = async () =>
  (await recordOf(t.bot, episodeId))
    .filter((e) => e.kind.startsWith('message'))
    .map((e) => [e.kind, e.authorName, e.text, e.platformMessageId]);

describe('the record of an episode’s reply chain', () => {
  it('keeps every message, without the bot being mentioned, under the author’s name', async () => {
    expect(
      (await send(channelMessage({ id: '1700000002001', root: ROOT, text: 'Checked the garden, nothing' }))).status,
    ).toBe(200);
    await send(
      channelMessage({
        id: '1700000002002',
        root: ROOT,
        from: people.visitor,
        text: 'I have let <at>Sam Okafor</at> know &amp; EDT',
      }),
    );
    expect(await messages()).toEqual([
      ['message', 'Jo Reid', 'Checked the garden, nothing', '1700000002001'],
      ['message', 'Morgan (LA social worker)', 'I have let @Sam Okafor know & EDT', '1700000002002'],
    ]);
  });

  it('keeps an edit and a deletion as new entries, the original untouched', async () => {
    await send(channelMessage({ id: '1700000002001', root: ROOT, text: 'Seen at the park at 9' }));
    await send(messageChange({ id: '1700000002001', root: ROOT, kind: 'edit', text: 'Seen at the park at 9.30' }));
    await send(messageChange({ id: '1700000002001', root: ROOT, kind: 'delete' }));
    const record = await recordOf(t.bot, episodeId);
    expect(await messages()).toEqual([
      ['message', 'Jo Reid', 'Seen at the park at 9', '1700000002001'],
      ['message_edited', 'Jo Reid', 'Edited a message. Now reads: Seen at the park at 9.30', '1700000002001'],
      [
        'message_deleted',
        'Jo Reid',
        expect.stringMatching(/^Deleted a message from the thread \(entry \d+ keeps what it said\)\.$/),
        '1700000002001',
      ],
    ]);
    expect(verifyChain(record).ok).toBe(true);
  });

  it('records a re-sent message or edit once', async () => {
    const message = channelMessage({ id: '1700000002001', root: ROOT, text: 'On my way' });
    const edit = messageChange({ id: '1700000002001', root: ROOT, kind: 'edit', text: 'On my way, 10 min' });
    for (const activity of [message, message, edit, edit]) await send(activity);
    expect((await messages()).map(([kind]) => kind)).toEqual(['message', 'message_edited']);
  });

  it('records a command typed in the thread, and answers it there', async () => {
    const reply = expectCall('post', activitiesPath(thread(ROOT), '1700000002003'), 200, { id: 'r' });
    await send(channelMessage({ id: '1700000002003', root: ROOT, text: 'missing status AJ', mentionBot: true }));
    expect(textsOf(cardsOf(reply[0])[0])[0]).toBe('AJ: open');
    expect(await messages()).toEqual([['message', 'Jo Reid', '@Missing bot missing status AJ', '1700000002003']]);
  });

  it('still finds the episode when Teams has moved the tenant to another serviceUrl', async () => {
    const moved = 'https://smba.trafficmanager.net/amer/';
    const message = {
      ...channelMessage({ id: '1700000002004', root: ROOT, text: 'Police are here' }),
      serviceUrl: moved,
    };
    expect((await t.post(message, channelToken(key, { serviceurl: moved }))).status).toBe(200);
    expect(await messages()).toEqual([['message', 'Jo Reid', 'Police are here', '1700000002004']]);
  });

  it('leaves other conversations in the home’s channel alone', async () => {
    const before = await writtenRows(t.bot);
    await send(channelMessage({ id: '1700000002100', text: 'Staff meeting moved to 3pm' }));
    await send(channelMessage({ id: '1700000002101', root: '1700000002100', text: 'Thanks' }));
    expect(await writtenRows(t.bot)).toEqual(before);
  });
});
