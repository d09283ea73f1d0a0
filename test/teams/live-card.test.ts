import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actionExecute, people, taskModule, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { actionsOf, cardsOf, textsOf } from '../support/teams/cards.ts';
import { openAjInTeams, ROOT } from '../support/teams/flows.ts';
import { personalTraffic, startTeamsTest, threadTraffic, type TeamsTest } from '../support/teams/harness.ts';

// The episode's card, the root post of its reply chain, is updated in place (PUT …/activities/{root})
// after every change, driven here through signed dialog submissions and button presses.

const key = signingKey('bf-key-1');
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
let episodeId: string;
let traffic: ReturnType<typeof threadTraffic>;
let direct: ReturnType<typeof personalTraffic>;
let nextId = 1700000005000;
beforeEach(async () => {
  t = await startTeamsTest();
  episodeId = (await openAjInTeams(t, key)).episodeId;
  traffic = threadTraffic(thread(ROOT), 1700000000300);
  direct = personalTraffic();
});
afterEach(async () => {
  traffic.stop();
  direct.stop();
  expect(t.unmatched).toEqual([]);
  await t.close();
});

/** Submits a form's dialog as Teams sends it. */
async function submit(form: string, values: Record<string, string>, from = people.jo) {
  const data = { verb: 'submit_form', value: `${form}|${episodeId}|`, ...values };
  const response = await t.post(
    taskModule({ id: String(nextId++), name: 'task/submit', data, root: ROOT, from }),
    channelToken(key),
  );
  expect(response.status).toBe(200);
  // Accepted: the dialog closes with a message, rather than coming back with the form.
  expect((response.body as { task?: { type: string } } | undefined)?.task?.type).not.toBe('continue');
}

/** The root card as Teams shows it after delivery: the latest PUT of the root activity. */
async function root() {
  await t.deliver();
  const puts = traffic.calls.filter((c) => c.method === 'PUT' && c.activityId === ROOT);
  expect(puts.length).toBeGreaterThan(0);
  return textsOf(cardsOf(puts.at(-1)!.body)[0]);
}

/** Presses the Approve button of the newest approval card, as Sam. */
async function approve() {
  await t.deliver();
  const card = [...traffic.calls].reverse().find((c) => cardsOf(c.body)[0]?.refresh)!;
  // Sam's own view of the card (what Teams asks for as he looks at it) has the buttons.
  const refresh = cardsOf(card.body)[0]!.refresh as { action: { verb: string; data: unknown } };
  const own = await t.post(
    actionExecute({
      id: String(nextId++),
      verb: refresh.action.verb,
      data: refresh.action.data,
      root: ROOT,
      card: card.activityId,
      from: people.sam,
    }),
    channelToken(key),
  );
  const button = actionsOf((own.body as { value: unknown }).value).find((a) => a.verb === 'approve')!;
  const invoke = actionExecute({
    id: String(nextId++),
    verb: 'approve',
    data: button.data,
    root: ROOT,
    card: card.activityId,
    from: people.sam,
  });
  expect((await t.post(invoke, channelToken(key))).status).toBe(200);
}

describe('the episode card in Teams', () => {
  it('is updated in place after risk, classification, last seen, police, return and closure', async () => {
    await submit('risk', { level: 'high', factors: 'risky-associates', reason: 'Seen getting into a car' });
    expect((await root()).find((x) => x.startsWith('Risk:'))).toMatch(/^Risk: High: .*Associates with adults/);

    await submit('last_seen', { at__date: '2026-11-20', at__time: '21:50', place: 'Park' });
    expect(await root()).toContain('Last seen: Fri 20 Nov 21:50 at Park');

    await submit('police_report', { reference: 'PR-42', officer: 'PC 1234 Smith', grade: 'high' });
    expect((await root()).find((x) => x.startsWith('Police:'))).toMatch(/ref PR-42, PC 1234 Smith, graded high$/);

    await submit('classify', { classification: 'absent', reason: 'Police agree' });
    await approve();
    expect((await root())[0]).toBe('AJ — absent from care');

    await submit('return', { at__time: '22:10', how: 'walked in', whereFound: 'Park', condition: 'Fine' });
    const back = await root();
    expect(back[0]).toBe('AJ — returned');
    expect(back.some((x) => x.startsWith('Due after the return: the return home interview'))).toBe(true);

    await submit('follow_up', { what: 'police_told_of_return' });
    const jo = { platform: 'teams', userId: people.jo.aadObjectId } as const;
    for (const itemId of ['tell-manager-return', 'welfare-check', 'record-condition', 'exploitation-check'])
      await t.bot.engine.execute({ type: 'tick_item', actor: jo, episodeId, itemId });
    await submit('rhi', { status: 'offered' });
    await submit('closure', { reason: 'Home and settled', withFollowUps: 'yes' });
    await approve();
    const closed = await root();
    expect(closed[0]).toBe('AJ — episode closed');
    expect(closed.at(-1)).toMatch(/^This episode is closed\./);
    // Never a second root post: the channel has one post for the episode, kept current.
    expect(traffic.calls.filter((c) => c.method === 'POST' && textsOf(cardsOf(c.body))[0]?.startsWith('AJ —'))).toEqual(
      [],
    );
  });
});
