import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import { CHANNEL, postForm, slashCommand, startSlackBot, users, type SlackBot } from '../support/slack.ts';

let bot: SlackBot;
let slack: ReturnType<typeof fakeSlack>;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  slack = fakeSlack();
  bot = await startSlackBot();
});
afterEach(async () => {
  await bot.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

const record = async () => {
  const [episode] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
  return bot.app.store.transaction((tx) => tx.record.list(episode!.id));
};
const pdfInside = (body: string) => body.includes('%PDF-') || body.includes(Buffer.from('%PDF-').toString('hex'));

/** Runs `/missing <text>` as someone and waits for the answer only they see. */
async function missing(user: string, text: string) {
  const before = slack.responses.length;
  expect((await postForm(bot.url, slashCommand(user, text))).status).toBe(200);
  await expect.poll(() => slack.responses.length, { timeout: 10_000 }).toBeGreaterThan(before);
  return slack.responses.at(-1)!.body;
}

describe('/missing export and patterns in Slack', () => {
  it('uploads the record to the manager’s direct message with the bot, never to the channel', async () => {
    await missing(users.jo, 'AJ');
    await bot.tick();
    const answer = await missing(users.sam, 'export AJ');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('direct message') });

    // A message to the user id opens the DM; the files are shared into that DM's channel id.
    const dm = slack.of('chat.postMessage').at(-1)!;
    expect(dm.body).toMatchObject({ channel: users.sam, text: expect.stringContaining('The record of AJ’s episode') });
    expect(slack.of('files.getUploadURLExternal').map((c) => c.body.filename)).toEqual([
      expect.stringMatching(/^record-AJ-.*\.pdf$/),
      expect.stringMatching(/^record-AJ-.*\.json$/),
    ]);
    expect(slack.uploads).toHaveLength(2);
    expect(pdfInside(slack.uploads[0]!.body)).toBe(true);
    const [complete] = slack.of('files.completeUploadExternal');
    expect(complete!.body.channel_id).toBe('D0SAM');
    expect(JSON.parse(String(complete!.body.files)).map((f: { id: string }) => f.id)).toEqual(['F1', 'F2']);
    // Nothing about the export went to the home's channel.
    expect(
      slack
        .of('chat.postMessage')
        .filter((c) => c.body.channel === CHANNEL && /The record of/.test(String(c.body.text))),
    ).toEqual([]);
    expect((await record()).at(-1)).toMatchObject({ kind: 'record_exported', authorName: 'Sam Okafor' });
  });

  it('refuses a support worker kindly, uploads nothing, and records the attempt', async () => {
    await missing(users.jo, 'AJ');
    const answer = await missing(users.jo, 'export AJ');
    expect(answer.text).toMatch(/Only a manager or deputy manager can export the episode record/);
    expect(slack.of('files.getUploadURLExternal')).toHaveLength(0);
    expect((await record()).at(-1)).toMatchObject({ kind: 'export_refused', authorName: 'Jo Reid' });
  });

  it('sends the patterns report and its chart, and the police pack to anyone on the staff', async () => {
    await missing(users.jo, 'AJ');
    await missing(users.sam, 'patterns AJ');
    expect(slack.of('files.getUploadURLExternal').map((c) => c.body.filename)).toEqual([
      expect.stringMatching(/^patterns-AJ-.*\.pdf$/),
      expect.stringMatching(/^patterns-AJ-.*-charts\.png$/),
    ]);
    await missing(users.priya, 'pack AJ');
    expect(slack.of('files.getUploadURLExternal').at(-1)!.body.filename).toMatch(/^police-pack-AJ-/);
    expect(slack.of('files.completeUploadExternal').at(-1)!.body.channel_id).toBe('D0PRIYA');
  });
});
