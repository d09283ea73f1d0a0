import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import {
  buttonPress,
  buttonsIn,
  CHANNEL,
  postEvent,
  postForm,
  sign,
  slashCommand,
  startSlackBot,
  users,
  type SlackBot,
} from '../support/slack.ts';

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

const episodes = () => bot.app.store.transaction((tx) => tx.episodes.listActive());
const record = (id: string) => bot.app.store.transaction((tx) => tx.record.list(id));

/** Opens AJ's episode through the slash command and delivers the thread's first cards. */
async function openAj() {
  const res = await postForm(bot.url, slashCommand(users.jo, 'AJ'));
  expect(res.status).toBe(200);
  await expect.poll(() => slack.responses.length).toBeGreaterThan(0);
  await bot.tick();
  const [episode] = await episodes();
  const root = slack.of('chat.postMessage')[0]!;
  return { episode: episode!, rootTs: `1700000001.000100`, root };
}

describe('/missing over HTTP', () => {
  it('opens the episode: root card in the channel, checklists in its thread, the reply only to the person', async () => {
    const { episode, root } = await openAj();
    expect(slack.responses[0]!.url).toBe('/commands/T0OAK/1/abc');
    expect(slack.responses[0]!.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Episode opened for AJ'),
    });
    expect(root.body).toMatchObject({ channel: CHANNEL, text: expect.stringContaining('AJ — missing from care') });
    expect(root.body.thread_ts).toBeUndefined();
    expect((root.body.blocks as { type: string; text?: { text: string } }[])[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'AJ — missing from care', emoji: true },
    });
    const inThread = slack.of('chat.postMessage').slice(1);
    expect(inThread.map((c) => c.body.thread_ts)).toEqual(['1700000001.000100', '1700000001.000100']);
    expect(inThread[0]!.body.text).toMatch(/Stage 1 — establish/);
    expect(episode.threadRef).toBe(`${CHANNEL}|1700000001.000100`);
    const entries = await record(episode.id);
    expect(entries[0]).toMatchObject({ kind: 'episode_opened', authorName: 'Jo Reid', authorRole: 'support_worker' });
  });

  it('refuses a forged or stale signature with 401 and writes nothing', async () => {
    const body = new URLSearchParams(slashCommand(users.jo, 'AJ')).toString();
    const forged = await fetch(bot.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body, undefined, 'not-the-secret') },
    });
    expect(forged.status).toBe(401);
    const stale = await fetch(bot.url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...sign(body, Math.floor(Date.now() / 1000) - 60 * 10),
      },
    });
    expect(stale.status).toBe(401);
    await bot.tick();
    expect(await episodes()).toHaveLength(0);
    expect(slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('answers unknown words and children with a helpful private reply', async () => {
    await postForm(bot.url, slashCommand(users.jo, 'ZZ'));
    await postForm(bot.url, slashCommand(users.jo, 'help'));
    await expect.poll(() => slack.responses.length).toBe(2);
    expect(slack.responseText()).toContain('I can’t find a child called “ZZ”');
    expect(slack.responseText()).toContain('Children here: AJ, BT');
    expect(slack.responseText()).toContain('/missing list');
    expect(await episodes()).toHaveLength(0);
  });
});

describe('buttons and forms', () => {
  it('ticks an item and updates the checklist card in place', async () => {
    const { episode } = await openAj();
    const stage1 = slack.of('chat.postMessage')[1]!;
    const tick = buttonsIn(stage1.body.blocks).find((b) => b.text === 'Done')!;
    const res = await postForm(
      bot.url,
      buttonPress(users.jo, tick.action_id, tick.value, '1700000002.000100', '1700000001.000100'),
    );
    expect(res.status).toBe(200);
    await expect.poll(async () => (await record(episode.id)).map((e) => e.kind)).toContain('item_done');
    await bot.tick();
    const update = slack.of('chat.update').at(-1)!;
    expect(update.body).toMatchObject({
      channel: CHANNEL,
      ts: '1700000002.000100',
      text: expect.stringMatching(/5 open/),
    });
  });

  it('lets only a manager approve: others get a private refusal, and the attempt is recorded', async () => {
    const { episode } = await openAj();
    // Ask to lower the risk: a downgrade needs a manager.
    const asked = await bot.app.engine.execute({
      type: 'set_risk',
      actor: { platform: 'slack', userId: users.jo },
      episodeId: episode.id,
      level: 'low',
      reason: 'Known to be at a friend’s',
    });
    expect(asked.ok).toBe(true);
    await bot.tick();
    const approvalCard = slack.of('chat.postMessage').find((c) => String(c.body.text).startsWith('Approval needed'))!;
    const approve = buttonsIn(approvalCard.body.blocks).find((b) => b.text === 'Approve')!;
    await postForm(bot.url, buttonPress(users.priya, approve.action_id, approve.value, '1'));
    await expect.poll(() => slack.responseText()).toContain('Only a manager or deputy manager can approve');
    expect((await record(episode.id)).at(-1)).toMatchObject({ kind: 'approval_refused', authorName: 'Priya Shah' });

    await postForm(bot.url, buttonPress(users.stranger, approve.action_id, approve.value, '1'));
    await expect.poll(() => slack.responseText()).toContain('I don’t recognise you as staff');

    await postForm(bot.url, buttonPress(users.sam, approve.action_id, approve.value, '1'));
    await expect
      .poll(async () => (await bot.app.store.transaction((tx) => tx.episodes.get(episode.id)))?.riskLevel)
      .toBe('low');
    await bot.tick();
    // Both copies show the decision with the buttons gone: the thread's and Sam's direct message.
    const requests = slack.of('chat.postMessage').filter((c) => String(c.body.text).startsWith('Approval needed'));
    expect(requests.map((c) => c.body.channel)).toEqual([CHANNEL, users.sam]);
    const updates = slack.of('chat.update').filter((c) => String(c.body.text).startsWith('Approved: Lower the risk'));
    expect(updates.map((c) => c.body.channel)).toEqual([CHANNEL, users.sam.replace(/^U/, 'D')]);
    for (const u of updates) {
      expect(JSON.stringify(u.body.blocks)).toContain('Approved by Sam Okafor');
      expect(buttonsIn(u.body.blocks)).toEqual([]);
    }
  });

  it('opens the police report form, answers a missing call time in the form, and records a complete one', async () => {
    const { episode } = await openAj();
    const stage2 = slack.of('chat.postMessage')[2]!;
    const police = buttonsIn(stage2.body.blocks).find((b) => b.text === 'Police report')!;
    await postForm(
      bot.url,
      buttonPress(users.jo, police.action_id, police.value, '1700000003.000100', '1700000001.000100'),
    );
    await expect.poll(() => slack.of('views.open').length).toBe(1);
    const view = slack.of('views.open')[0]!.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string }[];
    };
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      'reference',
      'officer',
      'grade',
      'reportedAt__date',
      'reportedAt__time',
      'reviewAt__date',
      'reviewAt__time',
    ]);
    // Times are picked in the home's zone, which the form names; optional ones say empty means now.
    const reportedAt = view.blocks.find((b) => b.block_id === 'reportedAt__time') as unknown as Record<string, unknown>;
    expect(reportedAt).toMatchObject({
      optional: true,
      element: { type: 'timepicker', timezone: 'Europe/London' },
      hint: { text: 'Needed when the reference is to follow; otherwise empty means now. In UK time (Europe/London).' },
    });

    const submit = (reference: string | null) => ({
      payload: JSON.stringify({
        type: 'view_submission',
        user: { id: users.jo },
        team: { id: 'T0OAK' },
        api_app_id: 'A0APP',
        view: {
          id: 'V1',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: {
            values: {
              reference: { value: { type: 'plain_text_input', value: reference } },
              officer: { value: { type: 'plain_text_input', value: 'PC Evans 1234' } },
              grade: { value: { type: 'static_select', selected_option: { value: 'medium' } } },
              reportedAt__date: { value: { type: 'datepicker', selected_date: null } },
              reportedAt__time: { value: { type: 'timepicker', selected_time: null } },
              reviewAt__date: { value: { type: 'datepicker', selected_date: null } },
              reviewAt__time: { value: { type: 'timepicker', selected_time: '23:30' } },
            },
          },
        },
      }),
    });
    const missing = await postForm(bot.url, submit(null));
    // Without a reference the call's time is needed, and the form says so under the time.
    expect(await missing.json()).toEqual({
      response_action: 'errors',
      errors: { reportedAt__time: 'Please say when the police were called, the reference can follow.' },
    });
    expect((await record(episode.id)).map((e) => e.kind)).not.toContain('police_report');

    const complete = await postForm(bot.url, submit('CAD-1234'));
    expect(complete.status).toBe(200);
    await expect
      .poll(async () => (await record(episode.id)).find((e) => e.kind === 'police_report')?.text)
      .toContain('reference CAD-1234, officer PC Evans 1234');
    // The review time was picked as 23:30 in the home's zone, whatever Slack's own zone for Jo.
    const episodeNow = await bot.app.store.transaction((tx) => tx.episodes.get(episode.id));
    expect(episodeNow?.police?.reviewAt?.toISOString()).toBe('2026-11-20T23:30:00.000Z');
  });
});

describe('the record of the thread', () => {
  const threadTs = '1700000001.000100';
  const said = (user: string, ts: string, text: string, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    channel: CHANNEL,
    channel_type: 'channel',
    user,
    text,
    ts,
    thread_ts: threadTs,
    ...extra,
  });

  it('records messages, edits and deletions once each, however often Slack retries', async () => {
    const { episode } = await openAj();
    const message = said(users.jo, '1700000100.000100', 'Checked the park, nothing.', { files: [{ name: 'map.png' }] });
    expect((await postEvent(bot.url, message, 'Ev1')).status).toBe(200);
    expect(
      (await postEvent(bot.url, message, 'Ev1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }))
        .status,
    ).toBe(200);
    // Slack delivers events independently; here each is waited for, as a thread unfolds in time.
    const recorded = (n: number) => expect.poll(async () => (await record(episode.id)).length).toBe(n);
    await recorded(2);
    // Someone not on the staff list, whose name the bot has not asked Slack for yet: the message is
    // written under their Slack id at once, and their Slack name follows it.
    await postEvent(bot.url, said(users.stranger, '1700000101.000100', 'I saw AJ at the station'), 'Ev2');
    await recorded(4);
    await postEvent(
      bot.url,
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: said(users.jo, '1700000100.000100', 'Checked the park and the river path, nothing.'),
        previous_message: said(users.jo, '1700000100.000100', 'Checked the park, nothing.'),
      },
      'Ev3',
    );
    await recorded(5);
    await postEvent(
      bot.url,
      {
        type: 'message',
        subtype: 'message_deleted',
        channel: CHANNEL,
        deleted_ts: '1700000101.000100',
        previous_message: said(users.stranger, '1700000101.000100', 'I saw AJ at the station'),
      },
      'Ev4',
    );
    await expect.poll(async () => (await record(episode.id)).length).toBe(6);
    const entries = await record(episode.id);
    expect(entries.slice(1).map((e) => [e.kind, e.authorName, e.authorRole])).toEqual([
      ['message', 'Jo Reid', 'support_worker'],
      ['message', 'Slack user U0NOBODY', 'unknown'],
      ['author_named', 'Missing-episode bot', 'bot'],
      ['message_edited', 'Jo Reid', 'support_worker'],
      ['message_deleted', 'Slack name of U0NOBODY', 'unknown'],
    ]);
    expect(entries[1]!.text).toBe('Checked the park, nothing. [files: map.png]');
    expect(entries[3]!.text).toBe(
      'Slack user U0NOBODY, who wrote entry 3, is Slack name of U0NOBODY by their Slack profile (not staff of this home).',
    );
    expect(entries[4]!.amendsEntryId).toBe(entries[1]!.id);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it('has a thread message in the record before Slack is answered, and once under a second event id', async () => {
    const { episode } = await openAj();
    const before = (await record(episode.id)).length;
    const message = said(users.jo, '1700000200.000100', 'Her phone is going to voicemail.');
    const res = await postEvent(bot.url, message, 'Ev10');
    expect(res.status).toBe(200);
    // No waiting: Slack's 200 means it is written (Slack never sends an answered event again).
    expect((await record(episode.id)).map((e) => e.text)).toContain('Her phone is going to voicemail.');
    // The same message (channel and ts) under another event id, as a second delivery can be.
    expect((await postEvent(bot.url, message, 'Ev11')).status).toBe(200);
    expect((await record(episode.id)).length).toBe(before + 1);
  });

  it('records a message at once while Slack is slow to say who wrote it, and adds the name when it does', async () => {
    const { episode } = await openAj();
    const release = slack.holdNames();
    const message = said(users.stranger, '1700000250.000100', 'She was at the bus station at 9');
    expect((await postEvent(bot.url, message, 'Ev20')).status).toBe(200);
    // Answered and written while users.info is still unanswered.
    expect(slack.of('users.info')).toHaveLength(1);
    const written = (await record(episode.id)).at(-1)!;
    expect([written.kind, written.authorName, written.authorRole, written.text]).toEqual([
      'message',
      'Slack user U0NOBODY',
      'unknown',
      'She was at the bus station at 9',
    ]);
    release();
    await expect.poll(async () => (await record(episode.id)).at(-1)!.kind).toBe('author_named');
    // Their next message carries the name, and the name is added to this episode only once.
    await postEvent(bot.url, said(users.stranger, '1700000251.000100', 'Blue coat'), 'Ev21');
    await expect.poll(async () => (await record(episode.id)).at(-1)!.text).toBe('Blue coat');
    const entries = await record(episode.id);
    expect(entries.filter((e) => e.kind === 'author_named')).toHaveLength(1);
    expect(entries.at(-1)!.authorName).toBe('Slack name of U0NOBODY');
    expect(verifyChain(entries).ok).toBe(true);
  });

  it('refuses a thread message signed with a time more than five minutes ahead, and records nothing', async () => {
    const { episode } = await openAj();
    const before = (await record(episode.id)).length;
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0OAK',
      api_app_id: 'A0APP',
      event_id: 'Ev12',
      event_time: 1,
      event: said(users.jo, '1700000300.000100', 'From the future'),
    });
    const ahead = Math.floor(Date.now() / 1000) + 10 * 60;
    const res = await fetch(bot.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...sign(body, ahead) },
    });
    expect(res.status).toBe(401);
    const forged = await fetch(bot.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...sign(body, undefined, 'not-the-secret') },
    });
    expect(forged.status).toBe(401);
    expect((await record(episode.id)).length).toBe(before);
  });
});

describe('more of /missing', () => {
  it('opens a form to choose the child when typed alone, and the return form for `returned <alias>`', async () => {
    await postForm(bot.url, slashCommand(users.jo, ''));
    await expect.poll(() => slack.of('views.open').length).toBe(1);
    const choose = slack.of('views.open')[0]!.body;
    expect(choose.trigger_id).toBe('1.2.3');
    expect(JSON.stringify(choose.view)).toContain('A child is missing');
    expect(JSON.stringify(choose.view)).toContain('"value":"BT"');

    const { episode } = await openAj();
    await postForm(bot.url, slashCommand(users.jo, 'returned aj'));
    await expect.poll(() => slack.of('views.open').length).toBe(2);
    const view = slack.of('views.open')[1]!.body.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('Child has returned');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ value: `return|${episode.id}|`, channel: CHANNEL });
  });
});

describe('reminders', () => {
  it('posts a due reminder in the thread and to the on-call manager directly', async () => {
    await openAj();
    bot.clock.advanceMinutes(16);
    await bot.tick();
    const reminders = slack
      .of('chat.postMessage')
      .filter((c) => String(c.body.text).includes('Reminder for Sam Okafor'));
    expect(reminders.map((c) => [c.body.channel, c.body.thread_ts])).toEqual([
      [CHANNEL, '1700000001.000100'],
      [users.sam, undefined],
    ]);
    expect(reminders[0]!.body.text).toContain('stage 1 checks are still open');
    // Sam is mentioned, so Slack notifies him even if he does not follow the thread.
    expect(reminders[0]!.body.text).toMatch(new RegExp(`^<@${users.sam}> Reminder for Sam Okafor`));
    expect(JSON.stringify(reminders[0]!.body.blocks)).toContain(`For <@${users.sam}>`);
  });
});

describe('delivery', () => {
  it('retries a rate-limited post after Retry-After and delivers it once', async () => {
    nock.cleanAll();
    nock('https://slack.com')
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
    slack = fakeSlack();
    await postForm(bot.url, slashCommand(users.jo, 'AJ'));
    await bot.tick();
    expect(slack.of('chat.postMessage')).toHaveLength(0);
    bot.clock.advanceMinutes(0.1); // 6 s: not yet
    await bot.tick();
    expect(slack.of('chat.postMessage')).toHaveLength(0);
    bot.clock.advanceMinutes(0.05); // 9 s: past Retry-After
    await bot.tick();
    expect(slack.of('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
    expect(slack.of('chat.postMessage')).toHaveLength(3);
  });

  it('shows the viewer’s home and its open episodes on the Home tab', async () => {
    await openAj();
    await postEvent(bot.url, { type: 'app_home_opened', user: users.sam, channel: 'D0SAM', tab: 'home' }, 'Ev9');
    await expect.poll(() => slack.of('views.publish').length).toBe(1);
    const published = slack.of('views.publish')[0]!.body;
    expect(published.user_id).toBe(users.sam);
    expect(JSON.stringify(published.view)).toContain('Oak House: 1 missing');
    expect(JSON.stringify(published.view)).toMatch(/\*AJ\* — missing \d+ min, missing, risk \*medium\*/);
  });
});
