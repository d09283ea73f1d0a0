import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeThreadRef } from '../../adapters/teams/activity/thread-ref.ts';
import { recordOf, writtenRows } from '../support/bot.ts';
import { BOT, CHANNEL, channelMessage, people, personalMessage, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, SERVICE_URL, signingKey, TENANT } from '../support/teams/bot-framework.ts';
import { actionsOf, cardsOf, textsOf } from '../support/teams/cards.ts';
import { openAjInTeams, ROOT } from '../support/teams/flows.ts';
import { activitiesPath, expectCall, startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');
const token = () => channelToken(key);

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
beforeEach(async () => {
  t = await startTeamsTest();
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  expect(nock.pendingMocks().filter((m) => !m.includes('login.botframework.com'))).toEqual([]);
  await t.close();
});

/** Posts "@Missing bot <text>" as a new post in the channel and returns the card the bot answered with. */
async function ask(text: string, from = people.jo, id = '1700000000301') {
  const reply = expectCall('post', activitiesPath(thread(id), id), 200, { id: `${id}9` });
  expect((await t.post(channelMessage({ id, text, from, mentionBot: true }), token())).status).toBe(200);
  expect(reply).toHaveLength(1);
  return cardsOf(reply[0])[0]!;
}

describe('@mentioning the bot in the home’s channel', () => {
  it('opens an episode: the answer in the asker’s thread, the root card as a new post, the checklists in its reply chain', async () => {
    const opened = await openAjInTeams(t, key);
    expect(opened.reply).toMatchObject({
      type: 'message',
      replyToId: '1700000000101',
      conversation: { id: thread('1700000000101') },
    });
    expect(textsOf(opened.cards.reply)).toEqual(['Episode opened for AJ. The checklist is in the thread.']);

    // The root card is a new post in the home's channel, through the serviceUrl Teams sent.
    expect(opened.root).toMatchObject({ isGroup: true, tenantId: TENANT, channelData: { channel: { id: CHANNEL } } });
    expect(textsOf(opened.cards.root)).toEqual([
      'AJ — missing from care',
      'Status: Missing for 0 min (as of Fri 20 Nov 22:10)',
      'Classification: Missing',
      'Risk: Medium: This is outside the child’s normal pattern; It is night-time or the weather is extreme',
      'Last seen: not recorded yet',
      'Police: Not told yet: report by Fri 20 Nov 22:40',
      'Opened: Fri 20 Nov 22:10 by Jo Reid',
      'Next reminder: Finish the stage 1 checks — Fri 20 Nov 22:25, for Sam Okafor.',
      'Everything written in this thread is part of the legal record. When in doubt, treat the child as missing. Never wait for an approval to call the police.',
    ]);
    expect(textsOf(opened.cards.establish)[0]).toMatch(/^Stage 1 — establish \(first 15 minutes\) — \d+ open$/);
    expect(textsOf(opened.cards.notify)[0]).toMatch(/^Stage 2 — notify and report/);

    // The thread ref names the reply chain, so everything later lands in it.
    expect(decodeThreadRef(opened.threadRef)).toEqual({
      conversationId: thread(ROOT),
      tenantId: TENANT,
      serviceUrl: SERVICE_URL,
    });
    const kinds = (await recordOf(t.bot, opened.episodeId)).map((e) => e.kind);
    expect(kinds).toContain('episode_opened');
  });

  it('processes a re-sent activity once: one episode, one answer', async () => {
    await openAjInTeams(t, key);
    const before = await writtenRows(t.bot);
    // Teams retries with the same activity; nothing is nocked, so any second answer would fail the test.
    const again = await t.post(channelMessage({ id: '1700000000101', text: 'missing AJ', mentionBot: true }), token());
    expect(again.status).toBe(200);
    expect(await writtenRows(t.bot)).toEqual(before);
  });

  it('answers help with the shared grammar', async () => {
    const card = await ask('missing help');
    expect(textsOf(card)[0]).toBe('How to use missing');
    expect(textsOf(card)).toContain("**missing list** — the home's open episodes");
  });

  it('answers an unknown child kindly, naming the children of the home, and writes nothing', async () => {
    const before = await writtenRows(t.bot);
    const card = await ask('missing ZZ');
    expect(textsOf(card)).toEqual([
      'I can\u2019t find a child called \u201cZZ\u201d in this home. Children here: AJ. Use the alias (initials) from the child\u2019s plan.',
    ]);
    expect(await writtenRows(t.bot)).toEqual(before);
  });

  it('refuses someone who is not on the staff list, and writes nothing', async () => {
    const before = await writtenRows(t.bot);
    const card = await ask('missing AJ', people.visitor);
    expect(textsOf(card)[0]).toMatch(/^I don’t recognise you as staff of this home/);
    expect(await writtenRows(t.bot)).toEqual(before);
  });

  it('offers the open-episode form for a bare "missing", and the return form for "missing returned AJ"', async () => {
    const choose = await ask('missing');
    expect(actionsOf(choose)).toEqual([
      expect.objectContaining({
        type: 'Action.Submit',
        title: 'Open the form',
        data: { msteams: { type: 'task/fetch' }, verb: 'open_form', value: `open_episode|${CHANNEL}` },
      }),
    ]);
    const { episodeId } = await openAjInTeams(t, key, '1700000000401');
    const returned = await ask('missing returned AJ', people.jo, '1700000000402');
    expect(actionsOf(returned)[0]).toMatchObject({ data: { value: `return|${episodeId}|` } });
  });

  it('lists the home’s open episodes', async () => {
    await openAjInTeams(t, key);
    const card = await ask('missing list', people.sam, '1700000000501');
    expect(textsOf(card)).toEqual([
      'Oak House: 1 missing',
      expect.stringMatching(/^• AJ: missing 0 min, risk medium, police not yet told$/),
    ]);
  });
});

describe('a personal chat with the bot', () => {
  it('runs commands for the home the person works in, without the @mention', async () => {
    await openAjInTeams(t, key);
    const conversation = `a:1personal-${people.sam.aadObjectId}`;
    const reply = expectCall('post', activitiesPath(conversation, '1700000000601'), 200, { id: 'p1' });
    const response = await t.post(
      personalMessage({ id: '1700000000601', text: 'missing status AJ', from: people.sam }),
      token(),
    );
    expect(response.status).toBe(200);
    const card = cardsOf(reply[0])[0]!;
    expect(textsOf(card).slice(0, 3)).toEqual(['AJ: open', 'Status: Open', 'Classification: Missing']);
  });

  it('tells someone the bot does not know that it cannot act for them', async () => {
    const conversation = `a:1personal-${people.visitor.aadObjectId}`;
    const reply = expectCall('post', activitiesPath(conversation, '1700000000701'), 200, { id: 'p2' });
    await t.post(personalMessage({ id: '1700000000701', text: 'missing AJ', from: people.visitor }), token());
    expect(textsOf(cardsOf(reply[0])[0])[0]).toMatch(/^I don’t recognise you as staff/);
    expect((await writtenRows(t.bot)).episodes).toBe(0);
  });
});

describe('being added to a team', () => {
  it('says what it is for and how to start, once, when the bot itself is added', async () => {
    const welcome = expectCall('post', activitiesPath(CHANNEL, 'cu-2'), 201, { id: 'w1' });
    const added = (id: string, members: { id: string }[]) => ({
      ...channelMessage({ id, text: '' }),
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: members,
      recipient: BOT,
      conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    });
    expect((await t.post(added('cu-1', [{ id: people.jo.id }]), channelToken(key))).status).toBe(200);
    expect(welcome).toHaveLength(0); // someone else joining is not the bot's business
    expect((await t.post(added('cu-2', [BOT]), channelToken(key))).status).toBe(200);
    expect(welcome).toHaveLength(1);
    const texts = textsOf(cardsOf(welcome[0])[0]);
    expect(texts[0]).toBe('Hello — I run the missing-from-care protocol here');
    expect(texts[1]).toMatch(/^When a child is missing, type \*\*@Missing bot missing <child>\*\*/);
  });
});
