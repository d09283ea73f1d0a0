import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { must, recordOf } from '../support/bot.ts';
import { channelMessage, people, personalMessage, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { actionsOf, cardsOf, textsOf } from '../support/teams/cards.ts';
import { activitiesPath, expectCall, startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

const key = signingKey('bf-key-exports');
const token = () => channelToken(key);
const PUBLIC_URL = 'https://missing-bot.example.org';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
let engine: Engine;
beforeEach(async () => {
  // The bot's engine with its public address set (the harness's own has none); built once the
  // harness's database exists, and handed to the adapter through a forwarding object.
  const forward = new Proxy({} as Engine, { get: (_, name) => engine[name as keyof Engine] });
  t = await startTeamsTest({ adapter: { engine: forward } });
  engine = createEngine({
    store: t.bot.store,
    clock: t.bot.clock,
    protocols,
    logger: silentLogger,
    publicUrl: PUBLIC_URL,
  });
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

const jo = { platform: 'teams', userId: people.jo.aadObjectId } as const;

async function openAj() {
  const channel = { platform: 'teams', channelRef: '19:3a9c1f0e5d7b4e2a8c6f1d0b9e7a5c3d@thread.tacv2' } as const;
  return (await must(engine, { type: 'open_episode', actor: jo, channel, child: 'AJ' })).episodeId!;
}

/** Sends a message in a person's personal chat with the bot and returns the card it answered with. */
async function personal(text: string, from: typeof people.sam, id: string) {
  const reply = expectCall('post', activitiesPath(`a:1personal-${from.aadObjectId}`, id), 200, { id: `${id}9` });
  expect((await t.post(personalMessage({ id, text, from }), token())).status).toBe(200);
  expect(reply).toHaveLength(1);
  return cardsOf(reply[0])[0]!;
}

describe('exports in Teams', () => {
  it('answers in the personal chat with one-time download buttons to the bot’s own links', async () => {
    const episodeId = await openAj();
    const card = await personal('export AJ', people.sam, '1700000000801');
    expect(textsOf(card)[0]).toMatch(/^The record of AJ’s episode .* as PDF and JSON, for you only\./);
    expect(textsOf(card)).toContain(
      'Download below. Each link works once, for 30 minutes, and only you have been given it.',
    );
    const buttons = actionsOf(card);
    expect(buttons).toEqual([
      expect.objectContaining({ type: 'Action.OpenUrl', title: expect.stringMatching(/^Download record-AJ-.*\.pdf$/) }),
      expect.objectContaining({
        type: 'Action.OpenUrl',
        title: expect.stringMatching(/^Download record-AJ-.*\.json$/),
      }),
    ]);
    const url = String(buttons[0]!.url);
    expect(url).toMatch(/^https:\/\/missing-bot\.example\.org\/exports\/[A-Za-z0-9_-]{43}$/);
    const file = await t.bot.queries.takeDownload(url.split('/').at(-1)!);
    expect(Buffer.from(file!.bytes).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await recordOf(t.bot, episodeId)).at(-1)).toMatchObject({
      kind: 'record_exported',
      authorName: 'Sam Okafor',
    });
  });

  it('never hands files over in the channel: it says to ask in the personal chat, and exports nothing', async () => {
    await openAj();
    const id = '1700000000811';
    const reply = expectCall('post', activitiesPath(thread(id), id), 200, { id: `${id}9` });
    await t.post(channelMessage({ id, text: 'missing export AJ', from: people.sam, mentionBot: true }), token());
    expect(textsOf(cardsOf(reply[0])[0])).toEqual([
      'For privacy I hand files over only in a personal chat with me. Open a chat with me and type the same command there.',
    ]);
    expect(await t.bot.database.prisma.exportLog.count()).toBe(0);
  });

  it('refuses a support worker in the personal chat, and logs the attempt', async () => {
    await openAj();
    const card = await personal('export AJ', people.jo, '1700000000821');
    expect(textsOf(card)[0]).toMatch(/^Only a manager or deputy manager can export the episode record/);
    expect(actionsOf(card)).toEqual([]);
    expect(await t.bot.database.prisma.exportLog.findMany()).toEqual([expect.objectContaining({ outcome: 'refused' })]);
  });
});
