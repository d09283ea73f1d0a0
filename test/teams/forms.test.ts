import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { episodeOf, recordOf, writtenRows } from '../support/bot.ts';
import { CHANNEL, people, taskModule } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { actionsOf, expectValidCard, textsOf } from '../support/teams/cards.ts';
import { openAjInTeams, ROOT } from '../support/teams/flows.ts';
import { startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');

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
  await t.close();
});

type TaskResponse = {
  task: { type: string; value: { title: string; card: { content: Record<string, unknown> } } | string };
};

async function dialog(name: 'task/fetch' | 'task/submit', id: string, data: unknown, from = people.jo) {
  const response = await t.post(taskModule({ id, name, data, root: ROOT, from }), channelToken(key));
  expect(response.status).toBe(200);
  return response.body as TaskResponse | undefined;
}

/** The dialog's card, checked, with its input ids. */
function formOf(response: TaskResponse | undefined) {
  expect(response?.task.type).toBe('continue');
  const value = response!.task.value as { title: string; card: { content: Record<string, unknown> } };
  expectValidCard(value.card.content);
  const inputs = (value.card.content.body as { type: string; id?: string }[]).filter((e) =>
    e.type.startsWith('Input.'),
  );
  return { title: value.title, card: value.card.content, inputs: inputs.map((i) => i.id) };
}

describe('the police report form (a task module)', () => {
  it('opens from the checklist card and records the report when submitted', async () => {
    const { episodeId, cards } = await openAjInTeams(t, key);
    const button = actionsOf(cards.notify).find((a) => a.title === 'Police report')!;
    expect(button).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, verb: 'open_form', value: `police_report|${episodeId}|` },
    });

    const form = formOf(await dialog('task/fetch', '1700000001001', button.data));
    expect(form.title).toBe('Report to police');
    expect(form.inputs).toEqual([
      'reference',
      'officer',
      'grade',
      'reportedAt__date',
      'reportedAt__time',
      'reviewAt__date',
      'reviewAt__time',
    ]);
    const save = actionsOf(form.card).at(-1)!;
    expect(save).toMatchObject({ type: 'Action.Submit', title: 'Record report', data: { verb: 'submit_form' } });

    t.bot.clock.set('2026-11-20T22:25:00Z');
    const typed = { reference: 'PR-42', officer: 'PC 1234 Smith', grade: 'high', reportedAt__time: '22:20' };
    // Teams sends the button's data merged with what was typed; the dialog closes on success.
    expect(await dialog('task/submit', '1700000001002', { ...(save.data as object), ...typed })).toBeUndefined();

    expect((await episodeOf(t.bot, episodeId))?.police).toMatchObject({
      reference: 'PR-42',
      officer: 'PC 1234 Smith',
      grade: 'high',
      reportedAt: new Date('2026-11-20T22:20:00Z'),
    });
    expect((await recordOf(t.bot, episodeId)).find((e) => e.kind === 'police_report')).toMatchObject({
      authorName: 'Jo Reid',
      text: 'Reported to police at Fri 20 Nov 22:20: reference PR-42, officer PC 1234 Smith, police grade high.',
    });
  });

  it('shows the form again with the reason and what was typed when something is missing, and writes nothing', async () => {
    const { episodeId } = await openAjInTeams(t, key);
    const before = await writtenRows(t.bot);
    const response = await dialog('task/submit', '1700000001003', {
      verb: 'submit_form',
      value: `police_report|${episodeId}|`,
      reference: 'PR-42',
      officer: 'PC 1234 Smith',
    });
    const form = formOf(response);
    expect(textsOf(form.card)[0]).toBe(
      'Some details don’t look right: Police risk grade: please choose one of the options. Nothing has been recorded yet; please check and try again.',
    );
    expect((form.card.body as { id?: string; value?: string }[]).find((e) => e.id === 'reference')?.value).toBe(
      'PR-42',
    );
    expect(await writtenRows(t.bot)).toEqual(before);
  });
});

describe('the open-episode form (bare "missing")', () => {
  it('lists the home’s children and opens the episode with the last-seen details', async () => {
    const value = `open_episode|${CHANNEL}`;
    const form = formOf(await dialog('task/fetch', '1700000001101', { verb: 'open_form', value }));
    const child = (form.card.body as { id?: string; choices?: unknown }[]).find((e) => e.id === 'child');
    expect(child?.choices).toEqual([{ title: 'AJ', value: 'AJ' }]);

    const submitted = await dialog('task/submit', '1700000001102', {
      verb: 'submit_form',
      value,
      child: 'AJ',
      lastSeenAt__time: '21:45',
      lastSeenPlace: 'Town centre bus station',
    });
    expect(submitted).toEqual({
      task: { type: 'message', value: 'Episode opened for AJ. The checklist is in the thread.' },
    });
    const episode = await t.bot.database.prisma.episode.findFirstOrThrow();
    expect(episode).toMatchObject({
      lastSeenAt: new Date('2026-11-20T21:45:00Z'),
      lastSeenPlace: 'Town centre bus station',
      platform: 'teams',
    });
  });
});
