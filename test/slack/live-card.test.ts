import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import {
  buttonPress,
  buttonsIn,
  CHANNEL,
  postForm,
  slashCommand,
  startSlackBot,
  users,
  viewSubmission,
  type OpenedView,
  type SlackBot,
} from '../support/slack.ts';

// The episode's card at the top of its Slack thread is updated in place (chat.update on the root
// message) after every change, driven here through signed slash commands, button presses and
// modal submissions.

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

const ROOT_TS = '1700000001.000100';
type Posted = { body: Record<string, unknown> };

/** Every message the bot posted or updated, newest last. */
const messages = (): Posted[] => slack.calls.filter((c) => ['chat.postMessage', 'chat.update'].includes(c.method));

/** The root card as it stands after delivery: the latest chat.update of the root message. */
async function root() {
  await bot.tick();
  const updates = slack.of('chat.update').filter((c) => c.body.ts === ROOT_TS);
  expect(updates.length).toBeGreaterThan(0);
  const latest = updates.at(-1)!.body;
  expect(latest.channel).toBe(CHANNEL);
  return { text: String(latest.text), blocks: JSON.stringify(latest.blocks) };
}

/** Presses the newest button with this label, then fills in and submits the modal it opens. */
async function submitForm(label: string, values: Record<string, string | string[] | Date>, user = users.jo) {
  const withButton = [...messages()].reverse().find((m) => buttonsIn(m.body.blocks).some((b) => b.text === label))!;
  const button = buttonsIn(withButton.body.blocks).find((b) => b.text === label)!;
  const opened = slack.of('views.open').length;
  await postForm(bot.url, buttonPress(user, button.action_id, button.value, String(withButton.body.ts), ROOT_TS));
  await expect.poll(() => slack.of('views.open').length).toBe(opened + 1);
  const view = slack.of('views.open').at(-1)!.body.view as OpenedView;
  const res = await postForm(bot.url, viewSubmission(user, view, values));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(''); // accepted: no errors shown in the modal
}

/** Presses a button on the newest message that has it. */
async function press(label: string, user: string) {
  const withButton = [...messages()].reverse().find((m) => buttonsIn(m.body.blocks).some((b) => b.text === label))!;
  const button = buttonsIn(withButton.body.blocks).find((b) => b.text === label)!;
  expect((await postForm(bot.url, buttonPress(user, button.action_id, button.value, '1', ROOT_TS))).status).toBe(200);
}

describe('the episode card in Slack', () => {
  it('is updated in place after risk, classification, last seen, police, return and closure', async () => {
    expect((await postForm(bot.url, slashCommand(users.jo, 'AJ'))).status).toBe(200);
    await bot.tick();
    const posted = slack.of('chat.postMessage')[0]!.body;
    expect(posted).toMatchObject({ channel: CHANNEL, text: expect.stringMatching(/^AJ — missing from care/) });
    expect(posted.thread_ts).toBeUndefined();

    await submitForm('Risk', { level: 'high', factors: ['risky-associates'], reason: 'Seen getting into a car' });
    await expect.poll(async () => (await root()).text).toMatch(/Risk: High: .*Associates with adults who pose a risk/);

    await submitForm('Last seen details', { at: new Date(bot.clock.now().getTime() - 20 * 60_000), place: 'Park' });
    await expect.poll(async () => (await root()).blocks).toMatch(/\*Last seen\*\\n[^"]+ at Park/);

    await submitForm('Police report', { reference: 'CAD-1234', officer: 'PC Evans 1234', grade: 'high' });
    await expect.poll(async () => (await root()).blocks).toContain('ref CAD-1234, PC Evans 1234, graded high');

    await submitForm('Classification', { classification: 'absent', reason: 'Police agree she is absent' });
    await bot.tick();
    await press('Approve', users.sam);
    await expect.poll(async () => (await root()).text).toMatch(/^AJ — absent from care/);

    await submitForm('Child has returned', {
      at: bot.clock.now(),
      how: 'walked in',
      whereFound: 'Park',
      condition: 'Fine',
    });
    const back = await root();
    expect(back.text).toMatch(/^AJ — returned/);
    expect(back.blocks).toContain('Due after the return: the return home interview');

    // Closing needs the return's own items first; those are recorded through the engine here.
    const [episode] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
    const jo = { platform: 'slack', userId: users.jo } as const;
    await bot.app.engine.execute({
      type: 'record_follow_up',
      actor: jo,
      episodeId: episode!.id,
      what: 'police_told_of_return',
    });
    for (const itemId of ['tell-manager-return', 'welfare-check', 'record-condition', 'exploitation-check'])
      await bot.app.engine.execute({ type: 'tick_item', actor: jo, episodeId: episode!.id, itemId });
    await bot.app.engine.execute({ type: 'record_rhi', actor: jo, episodeId: episode!.id, status: 'offered' });
    await bot.tick();
    await submitForm('Ask to close the episode', { reason: 'Home and settled', withFollowUps: 'yes' });
    await bot.tick();
    await press('Approve', users.sam);
    const closed = await root();
    expect(closed.text).toMatch(/^AJ — episode closed/);
    expect(closed.blocks).toContain('This episode is closed.');
    // Still one root message: every change was an update, never a second post in the channel.
    expect(slack.of('chat.postMessage').filter((c) => !c.body.thread_ts && c.body.channel === CHANNEL)).toHaveLength(1);
  });
});
