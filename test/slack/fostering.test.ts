import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import { homesYaml } from '../support/homes.ts';
import {
  buttonPress,
  buttonsIn,
  CHANNEL,
  postEvent,
  postForm,
  slashCommand,
  startSlackBot,
  viewSubmission,
  type OpenedView,
  type SlackBot,
} from '../support/slack.ts';
import { tempDir } from '../support/temp.ts';

// A child missing from foster care, through Slack's real entry points (signed slash commands,
// button presses and modal submissions): the carer opens it, both social workers are told at once,
// the child's social worker's decision on the police is recorded under their name, and the
// supervising social worker sees it on their Home tab and is named by the reminders.

const people = { dana: 'U0DANA', lee: 'U0LEE', rosa: 'U0ROSA', tom: 'U0TOM' } as const;
const fostering = homesYaml({
  id: 'brook',
  name: 'Brook Fostering',
  kind: 'fostering',
  channels: { slack: CHANNEL },
  onCall: ['lee'],
  staff: [
    { id: 'dana', name: 'Dana Cole', role: 'manager', slack: people.dana },
    { id: 'lee', name: 'Lee Marsh', role: 'supervising_social_worker', slack: people.lee },
    { id: 'rosa', name: 'Rosa Hill', role: 'foster_carer', slack: people.rosa },
    { id: 'tom', name: 'Tom Hill', role: 'foster_carer', slack: people.tom },
  ],
  children: [
    {
      id: 'child-cm',
      alias: 'CM',
      dateOfBirth: '2011-08-02',
      placement: { carers: ['rosa', 'tom'], supervisingSocialWorker: 'lee' },
      plan: {
        reportAfterMinutes: 30,
        contacts: { socialWorker: 'Ms Patel — 01632 960111', supervisingSocialWorker: 'Lee Marsh — 07700 900456' },
      },
    },
  ],
});

let bot: SlackBot;
let slack: ReturnType<typeof fakeSlack>;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  slack = fakeSlack();
  const dir = tempDir('slack-fostering-');
  fs.writeFileSync(path.join(dir, 'fostering.yaml'), fostering);
  // Tuesday 10:00 in London: office hours, so the social workers themselves are the first call.
  bot = await startSlackBot({ at: '2026-12-01T10:00:00Z', env: { HOMES_FILE: path.join(dir, 'fostering.yaml') } });
});
afterEach(async () => {
  await bot.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

const record = async (id: string) =>
  (await bot.app.store.transaction((tx) => tx.record.list(id))).map((e) => ({
    ...e,
    data: JSON.parse(e.dataJson) as Record<string, unknown>,
  }));
const pendingRules = async (id: string) =>
  (await bot.app.store.transaction((tx) => tx.pings.pending(id))).map((p) => p.rule);

/** Presses "Log a notification" on the notify card and submits the modal with these values. */
async function notify(user: string, values: Record<string, string>) {
  const stage2 = slack.of('chat.postMessage').find((c) => String(c.body.text).startsWith('Tell the social workers'))!;
  const button = buttonsIn(stage2.body.blocks).find((b) => b.text === 'Log a notification')!;
  const opened = slack.of('views.open').length;
  await postForm(bot.url, buttonPress(user, button.action_id, button.value, '1700000003.000100', '1700000001.000100'));
  await expect.poll(() => slack.of('views.open').length).toBe(opened + 1);
  const view = slack.of('views.open').at(-1)!.body.view as OpenedView;
  const res = await postForm(bot.url, viewSubmission(user, view, values));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  await bot.tick();
  return view;
}

describe('a child missing from foster care, in Slack', () => {
  it('runs the carer’s steps, tells both social workers at once and records the social worker’s police decision', async () => {
    expect((await postForm(bot.url, slashCommand(people.rosa, 'CM'))).status).toBe(200);
    await expect.poll(() => slack.responses.length).toBe(1);
    expect(String(slack.responses[0]!.body.text)).toContain('Episode opened for CM');
    await bot.tick();
    const [episode] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
    const id = episode!.id;

    // The thread holds the fostering procedure's checklists, with whom to call in office hours.
    const posted = slack.of('chat.postMessage').map((c) => JSON.stringify(c.body.blocks));
    const first = posted.find((b) => b.includes('First checks (the foster carer'))!;
    expect(first).toContain('Check the garden, garage, sheds and the streets around');
    const second = posted.find((b) => b.includes('Tell the social workers at once'))!;
    expect(second).toContain('call the child’s social worker — Ms Patel — 01632 960111');
    expect(second).toContain('call the supervising social worker — Lee Marsh — 07700 900456');

    // Five minutes on, the reminder mentions the carers and the supervising social worker.
    bot.clock.set('2026-12-01T10:05:00Z');
    await bot.tick();
    const reminder = slack
      .of('chat.postMessage')
      .find((c) => String(c.body.text).includes('must both be told at once'))!;
    expect(reminder.body.thread_ts).toBeDefined();
    for (const user of [people.rosa, people.tom, people.lee])
      expect(String(reminder.body.text)).toContain(`<@${user}>`);
    expect(slack.of('chat.postMessage').filter((c) => c.body.channel === people.lee)).not.toHaveLength(0);

    // Rosa tells both in the same minute: the modal offers the fostering parties.
    const view = await notify(people.rosa, { party: 'social-worker', decision: 'notified', method: 'phone' });
    expect(view.blocks.map((b) => b.block_id)).toContain('decidedBy');
    await notify(people.rosa, { party: 'supervising-social-worker', decision: 'notified', method: 'phone' });
    const state = await bot.app.store.transaction((tx) => tx.episodes.get(id));
    expect(state!.checklist['tell-social-worker']).toMatchObject({ status: 'done' });
    expect(state!.checklist['tell-supervising-social-worker']).toMatchObject({ status: 'done' });
    expect(await pendingRules(id)).not.toContain('social-workers-not-told');

    // The child's social worker decides the police need not be told; Rosa records it, no approval asked.
    await notify(people.rosa, {
      party: 'police',
      decision: 'not_required',
      decidedBy: 'Ms Patel',
      reason: 'Found at her friend’s through the carer’s own calls; safe, Rosa is collecting her',
    });
    expect(await bot.app.store.transaction((tx) => tx.approvals.pendingFor(id))).toEqual([]);
    expect(await pendingRules(id)).not.toContain('police-not-told');
    const entries = await record(id);
    expect(entries.filter((e) => e.kind === 'notification').map((e) => [e.authorName, e.text])).toEqual([
      ['Rosa Hill', 'Notified Child’s social worker by phone.'],
      ['Rosa Hill', 'Notified Supervising social worker by phone.'],
      [
        'Rosa Hill',
        'The child’s social worker decided the police need not be told (decided by Ms Patel, recorded by Rosa Hill): Found at her friend’s through the carer’s own calls; safe, Rosa is collecting her',
      ],
    ]);
    expect(entries.find((e) => e.kind === 'episode_opened')).toMatchObject({
      authorName: 'Rosa Hill',
      authorRole: 'foster_carer',
    });

    // Lee, the supervising social worker, sees CM on the Home tab.
    await postEvent(bot.url, { type: 'app_home_opened', user: people.lee, channel: 'D0LEE', tab: 'home' }, 'EvLee1');
    await expect.poll(() => slack.of('views.publish').length).toBe(1);
    const home = JSON.stringify(slack.of('views.publish')[0]!.body.view);
    expect(home).toContain('Brook Fostering: 1 missing');
    expect(home).toContain('CM');
  });
});
