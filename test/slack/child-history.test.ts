import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import {
  CHANNEL,
  postEvent,
  postForm,
  slashCommand,
  startSlackBot,
  users,
  viewSubmission,
  type OpenedView,
  type SlackBot,
} from '../support/slack.ts';

// A child who comes back and goes missing again, through Slack's real entry points (signed slash
// commands, button presses, modal submissions and events): two episodes side by side, each with
// its own thread, record and reminders, and what Sam sees on the Home tab and in the handover.

let bot: SlackBot;
let slack: ReturnType<typeof fakeSlack>;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  slack = fakeSlack();
  bot = await startSlackBot({ at: '2026-12-01T18:00:00Z' }); // 18:00 in London, before night-time
});
afterEach(async () => {
  await bot.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

const episodes = () => bot.app.store.transaction((tx) => tx.episodes.listActive());
const record = (id: string) => bot.app.store.transaction((tx) => tx.record.list(id));
const pendingRules = async (id: string) =>
  (await bot.app.store.transaction((tx) => tx.pings.pending(id))).map((p) => p.rule);
/** Root messages in the channel (not in a thread), oldest first. */
const roots = () => slack.of('chat.postMessage').filter((c) => c.body.channel === CHANNEL && !c.body.thread_ts);
/** The latest reply to a slash command: its text and the words of its blocks. */
const lastReply = () => {
  const body = slack.responses.at(-1)!.body;
  return `${String(body.text)}\n${JSON.stringify(body.blocks ?? []).replace(/\\n/g, '\n')}`;
};

async function slash(user: string, text: string) {
  const before = slack.responses.length;
  expect((await postForm(bot.url, slashCommand(user, text))).status).toBe(200);
  await expect.poll(() => slack.responses.length).toBe(before + 1);
  await bot.tick();
  return lastReply();
}

/** `/missing returned AJ` opens the return modal; Jo fills it in and submits it. */
async function recordReturn(values: Record<string, string | string[] | Date>) {
  const opened = slack.of('views.open').length;
  expect((await postForm(bot.url, slashCommand(users.jo, 'returned AJ'))).status).toBe(200);
  await expect.poll(() => slack.of('views.open').length).toBe(opened + 1);
  const view = slack.of('views.open').at(-1)!.body.view as OpenedView;
  const res = await postForm(bot.url, viewSubmission(users.jo, view, values));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  await bot.tick();
}

/** The Home tab as Sam would see it now. */
async function homeTab(eventId: string) {
  const before = slack.of('views.publish').length;
  await postEvent(bot.url, { type: 'app_home_opened', user: users.sam, channel: 'D0SAM', tab: 'home' }, eventId);
  await expect.poll(() => slack.of('views.publish').length).toBe(before + 1);
  return JSON.stringify(slack.of('views.publish').at(-1)!.body.view);
}

describe('a child who returns and goes missing again, in Slack', () => {
  it('keeps two episodes, two threads, two records and both sets of reminders, and shows both', async () => {
    expect(await slash(users.jo, 'AJ')).toContain('Episode opened for AJ');
    const [first] = await episodes();
    const firstTs = first!.threadRef!.split('|')[1]!; // the thread is its root message's ts

    bot.clock.set('2026-12-01T19:20:00Z');
    await recordReturn({
      at: bot.clock.now(),
      how: 'walked in',
      whereFound: 'Town centre',
      condition: 'Tired',
      indicators: ['new-possessions'],
    });
    // Sam's Home tab leads the returned episode with the statutory interview and its clock time.
    const afterReturn = await homeTab('EvHome1');
    expect(afterReturn).toContain('Oak House: 1 returned');
    expect(afterReturn).toContain(
      'Due after the return: the return home interview (held, or refused and offered again) by Fri 4 Dec 19:20, the statutory limit',
    );

    // Ten minutes later AJ has gone again: a new episode at once, with its own root card.
    bot.clock.set('2026-12-01T19:30:00Z');
    const reply = await slash(users.jo, 'AJ');
    expect(reply).toMatch(
      /^New episode opened for AJ \(2nd episode in 30 days; last returned 10 min ago, exploitation indicators recorded\)/,
    );
    expect(reply).toContain('Risk is high: call the police on 999 now.');
    expect(roots()).toHaveLength(2);
    expect(String(roots()[1]!.body.text)).toMatch(/^AJ — missing from care/);
    const all = await episodes();
    expect(all.map((e) => [e.id === first!.id, e.status])).toEqual([
      [true, 'returned'],
      [false, 'open'],
    ]);
    const second = all[1]!;
    const secondTs = second.threadRef!.split('|')[1]!;
    expect(secondTs).not.toBe(firstTs);
    expect(second).toMatchObject({ previousEpisodeId: first!.id, riskLevel: 'high' });

    // Each thread's messages land in its own episode's record.
    const said = (ts: string, threadTs: string, text: string) => ({
      type: 'message',
      channel: CHANNEL,
      channel_type: 'channel',
      user: users.jo,
      text,
      ts,
      thread_ts: threadTs,
    });
    await postEvent(bot.url, said('1764617500.000100', firstTs, 'RHI worker rang back: Thursday 10:00.'), 'EvA');
    await postEvent(bot.url, said('1764617510.000100', secondTs, 'Seen getting into a grey car on Mill Lane.'), 'EvB');
    const texts = async (id: string) => (await record(id)).filter((e) => e.kind === 'message').map((e) => e.text);
    await expect.poll(() => texts(first!.id)).toEqual(['RHI worker rang back: Thursday 10:00.']);
    await expect.poll(() => texts(second.id)).toEqual(['Seen getting into a grey car on Mill Lane.']);

    // Both sets of reminders: the first's after-return work, the second's police report now.
    expect(await pendingRules(first!.id)).toEqual(expect.arrayContaining(['rhi-24h', 'reg40-decision']));
    const secondRules = (await record(second.id))
      .filter((e) => e.kind === 'ping')
      .map((e) => JSON.parse(e.dataJson).rule);
    expect(secondRules).toContain('police-not-told');

    // Sam sees both: the Home tab and the handover name one missing and one returned, the returned
    // one leading with what is due.
    const both = await homeTab('EvHome2');
    expect(both).toContain('Oak House: 1 missing, 1 returned');
    expect(both).toMatch(/\*AJ\* — missing \d+ min, missing, risk \*high\*/);
    expect(both).toContain('Due after the return: the return home interview');
    const handover = await slash(users.sam, 'handover');
    expect(handover).toContain('Handover for Oak House: 1 missing, 1 returned');
    expect(handover).toMatch(
      /AJ — returned[\s\S]*Due after the return: the return home interview[^\n]*by Fri 4 Dec 19:20/,
    );
    // Status leads with the episode she is missing in, and points to the earlier one.
    const status = await slash(users.sam, 'status AJ');
    expect(status).toContain('An earlier episode (returned Tue 1 Dec 19:20) is still open for its follow-ups');
  });
});
