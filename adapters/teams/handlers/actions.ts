import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Result } from '../../../src/engine/base/context.ts';
import { noticeCard, parseItemValue } from '../../../src/messages/cards.ts';
import { ActionIds } from '../../../src/messages/outbound.ts';
import { actorOf } from '../activity/activity.ts';
import { renderCard } from '../render/card.ts';
import { refusalCard, type HandlerDeps } from './deps.ts';

const pressed = z.object({ value: z.string().min(1).max(1_000) });

/**
 * What the presser sees. A success is a short message: the card itself is refreshed for everyone
 * by the outbox, which updates it in place. A refusal replaces the card for the presser only
 * (Teams AI's default for Action.Execute), so others keep their buttons.
 */
function answer(result: Result, done: string) {
  // The engine's own words when it has them ("… was already recorded" for a second press).
  if (result.ok) return result.reply?.fallback ?? done;
  return renderCard(refusalCard(result.error))[0]!;
}

const outOfDate = () =>
  renderCard(noticeCard('That button is out of date. Please use the latest card in the thread.', 'warning'))[0]!;

/** The Action.Execute buttons: ticking a checklist item, a manager's approve or decline, accepting a handover. */
export function registerActions(app: Application<TurnState>, deps: HandlerDeps): void {
  const { engine } = deps;
  const common = (ctx: TurnContext) => ({ actor: actorOf(ctx.activity), eventId: `act:${ctx.activity.id}` });

  app.adaptiveCards.actionExecute(ActionIds.tickItem, async (ctx, _state, data) => {
    const item = pressed.safeParse(data).success ? parseItemValue((data as { value: string }).value) : null;
    if (!item) return outOfDate();
    const result = await engine.execute({ type: 'tick_item', ...common(ctx), ...item });
    deps.kick();
    return answer(result, 'Recorded as done.');
  });

  app.adaptiveCards.actionExecute([ActionIds.approve, ActionIds.decline], async (ctx, _state, data) => {
    const parsed = pressed.safeParse(data);
    if (!parsed.success) return outOfDate();
    const decision = ctx.activity.value?.action?.verb === ActionIds.approve ? 'approve' : 'decline';
    const result = await engine.execute({
      type: 'decide_approval',
      ...common(ctx),
      approvalId: parsed.data.value,
      decision,
    });
    deps.kick();
    return answer(result, decision === 'approve' ? 'Approved and recorded.' : 'Declined and recorded.');
  });

  app.adaptiveCards.actionExecute(ActionIds.acceptHandover, async (ctx, _state, data) => {
    const parsed = pressed.safeParse(data);
    if (!parsed.success) return outOfDate();
    const result = await engine.execute({ type: 'accept_handover', ...common(ctx), handoverId: parsed.data.value });
    deps.kick();
    return answer(result, 'Handover accepted and recorded.');
  });
}
