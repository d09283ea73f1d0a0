import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { episodeOf, recordOf } from '../support/bot.ts';
import { actionExecute, people, thread } from '../support/teams/activities.ts';
import { channelToken, publishKeys, signingKey } from '../support/teams/bot-framework.ts';
import { actionsOf, cardsOf, expectValidCard, textsOf } from '../support/teams/cards.ts';
import { ESTABLISH, openAjInTeams, ROOT } from '../support/teams/flows.ts';
import { personalTraffic, startTeamsTest, threadTraffic, type TeamsTest } from '../support/teams/harness.ts';

const key = signingKey('bf-key-1');

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([key]);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
let opened: Awaited<ReturnType<typeof openAjInTeams>>;
beforeEach(async () => {
  t = await startTeamsTest();
  opened = await openAjInTeams(t, key);
});
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

/** Presses a button: the invoke Teams sends for an Action.Execute on a card in the episode's thread. */
async function press(id: string, action: Record<string, unknown>, card: string, from = people.jo) {
  const invoke = actionExecute({ id, verb: String(action.verb), data: action.data, root: ROOT, card, from });
  const started = performance.now();
  const response = await t.post(invoke, channelToken(key));
  expect(response.status).toBe(200);
  // Teams gives an invoke 5 seconds; the answer never waits for a connector call.
  expect(performance.now() - started).toBeLessThan(5_000);
  return response.body as { statusCode: number; type: string; value: unknown };
}

describe('ticking a checklist item (Action.Execute)', () => {
  it('records it, answers the presser at once, and updates the card in place for everyone', async () => {
    const tick = actionsOf(opened.cards.establish).find((a) => a.verb === 'tick_item')!;
    expect(tick).toMatchObject({ type: 'Action.Execute', title: 'Done', style: 'positive' });

    expect(await press('1700000000801', tick, ESTABLISH)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Recorded as done.',
    });
    expect((await recordOf(t.bot, opened.episodeId)).at(-1)).toMatchObject({
      kind: 'item_done',
      authorName: 'Jo Reid',
    });

    const traffic = threadTraffic(thread(ROOT));
    await t.deliver();
    traffic.stop();
    expect(traffic.calls.map((c) => [c.method, c.activityId])).toEqual([['PUT', ESTABLISH]]);
    const updated = cardsOf(traffic.calls[0]!.body)[0]!;
    expect(textsOf(updated)).toContain(`✅ ${textsOf(opened.cards.establish)[2]!.slice(2)}`);
  });

  it('answers a second press on the same item with what was already recorded, adding nothing', async () => {
    const tick = actionsOf(opened.cards.establish).find((a) => a.verb === 'tick_item')!;
    await press('1700000000801', tick, ESTABLISH);
    const entries = (await recordOf(t.bot, opened.episodeId)).length;
    const second = await press('1700000000802', tick, ESTABLISH, people.sam);
    expect(second.value).toMatch(/was already recorded\.$/);
    expect(await recordOf(t.bot, opened.episodeId)).toHaveLength(entries);
  });

  it('counts a re-sent invoke once', async () => {
    const tick = actionsOf(opened.cards.establish).find((a) => a.verb === 'tick_item')!;
    await press('1700000000801', tick, ESTABLISH);
    const entries = (await recordOf(t.bot, opened.episodeId)).length;
    expect((await press('1700000000801', tick, ESTABLISH)).value).toBe('Recorded as done.');
    expect(await recordOf(t.bot, opened.episodeId)).toHaveLength(entries);
  });
});

describe('approving a downgrade (managers only)', () => {
  /** Jo asks to lower AJ's risk; the approval card is posted in the thread. */
  async function askToLowerRisk() {
    const asked = await t.bot.engine.execute({
      type: 'set_risk',
      actor: { platform: 'teams', userId: people.jo.aadObjectId },
      episodeId: opened.episodeId,
      level: 'low',
      reason: 'At her aunt’s',
    });
    expect(asked.ok).toBe(true);
    const traffic = threadTraffic(thread(ROOT), 1700000000900);
    const direct = personalTraffic(); // the engine may also ask a manager directly
    await t.deliver();
    traffic.stop();
    direct.stop();
    const posted = traffic.calls.find(
      (c) => c.method === 'POST' && textsOf(cardsOf(c.body))[0] === 'Approval needed: Lower the risk to low',
    )!;
    const card = cardsOf(posted.body)[0]!;
    // Everyone's view has no buttons; Teams asks for each viewer's own, managers first.
    expect(actionsOf(card.body)).toEqual([]);
    const refresh = card.refresh as { action: { verb: string; data: unknown }; userIds: string[] };
    expect(refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'refresh_view' } });
    expect(refresh.userIds).toEqual([`8:orgid:${people.sam.aadObjectId}`]);
    const samsView = await press('1700000000899', refresh.action, posted.activityId, people.sam);
    expect(samsView.type).toBe('application/vnd.microsoft.card.adaptive');
    const approve = actionsOf(samsView.value).find((a) => a.verb === 'approve')!;
    expect(approve).toBeDefined();
    return { card, cardId: posted.activityId, approve, refresh };
  }

  it('shows the buttons only in a manager’s own view of the card', async () => {
    const { refresh, cardId } = await askToLowerRisk();
    const josView = await press('1700000000898', refresh.action, cardId, people.jo);
    expectValidCard(josView.value);
    expect(textsOf(josView.value)[0]).toBe('Approval needed: Lower the risk to low');
    expect(actionsOf(josView.value)).toEqual([]);
  });

  it('refuses a support worker with the card as she may see it and the reason, logs the attempt, changes nothing', async () => {
    const { cardId, approve } = await askToLowerRisk();
    // Jo presses a button she was never shown (an old card, a forwarded one): refused, card kept.
    const answer = await press('1700000000901', approve, cardId, people.jo);
    expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expectValidCard(answer.value);
    const texts = textsOf(answer.value);
    expect(texts[0]).toBe('Approval needed: Lower the risk to low');
    expect(texts[1]).toBe(
      'Only a manager or deputy manager can approve this. Your attempt has been noted in the record; please ask a manager.',
    );
    expect(texts).not.toContain('[Approve]');
    const last = (await recordOf(t.bot, opened.episodeId)).at(-1)!;
    expect(last).toMatchObject({ kind: 'approval_refused', authorName: 'Jo Reid' });
    expect((await episodeOf(t.bot, opened.episodeId))?.riskLevel).toBe('medium');
  });

  it('lets the manager approve, and updates the approval card in place', async () => {
    const { cardId, approve } = await askToLowerRisk();
    expect((await press('1700000000902', approve, cardId, people.sam)).value).toBe('Approved and recorded.');
    expect((await episodeOf(t.bot, opened.episodeId))?.riskLevel).toBe('low');

    const traffic = threadTraffic(thread(ROOT), 1700000000950);
    const direct = personalTraffic();
    await t.deliver();
    traffic.stop();
    direct.stop();
    const update = traffic.calls.find((c) => c.method === 'PUT' && c.activityId === cardId)!;
    const texts = textsOf(cardsOf(update.body)[0]);
    expect(texts[0]).toBe('Approved: Lower the risk to low');
    expect(texts.at(-1)).toMatch(/^Approved by Sam Okafor at Fri 20 Nov 22:10/);
    expect(texts).not.toContain('[Approve]');
    // Sam's own copy, in his personal chat, shows the same decision with no buttons.
    expect(direct.updated).toHaveLength(1);
    const copy = textsOf(cardsOf(direct.updated[0]!.body)[0]);
    expect(copy[0]).toBe('Approved: Lower the risk to low');
    expect(copy.at(-1)).toMatch(/^Approved by Sam Okafor/);
    expect(copy).not.toContain('[Approve]');
  });
});
