import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Result } from '../../../src/engine/base/context.ts';
import { parseItemValue } from '../../../src/messages/cards.ts';
import { ActionIds } from '../../../src/messages/outbound.ts';
import { activityKey, actorOf } from '../activity/activity.ts';
import { describeError } from '../../../src/messages/texts.ts';
import { approvalOfKey } from '../../../src/engine/approvals/approval-card.ts';
import { REFRESH_VERB, renderCard } from '../render/card.ts';
import type { HandlerDeps } from './deps.ts';

const pressed = z.object({ value: z.string().min(1).max(1_000) });

/**
 * What the presser sees: a short message either way, so the card stays as it is (the outbox
 * updates it in place for everyone once something has changed). A refusal says why.
 */
function answer(result: Result, done: string) {
  // The engine's own words when it has them ("… was already recorded" for a second press).
  if (result.ok) return result.reply?.fallback ?? done;
  return describeError(result.error);
}

const outOfDate = () => describeError({ code: 'unknown_action' });

/** The Action.Execute buttons: ticking a checklist item, a manager's approve or decline, accepting a handover. */
export function registerActions(app: Application<TurnState>, deps: HandlerDeps): void {
  const { engine } = deps;
  const common = (ctx: TurnContext) => ({ actor: actorOf(ctx.activity), eventId: activityKey('act', ctx.activity) });

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
    if (result.ok) return answer(result, decision === 'approve' ? 'Approved and recorded.' : 'Declined and recorded.');
    // Refused: the card as this person may see it (no buttons they cannot use), the reason on top.
    const view = await deps.queries.approvalView('teams', actorOf(ctx.activity).userId, parsed.data.value);
    if (!view) return answer(result, '');
    const reason = { type: 'text' as const, text: describeError(result.error) };
    return renderCard({ ...view, blocks: [reason, ...view.blocks] }, { viewer: true })[0]!;
  });

  // Teams asks for each viewer's own view of a card with role views (an approval's buttons are
  // for managers only); anyone else, or a card that is gone, gets the view without buttons.
  app.adaptiveCards.actionExecute(REFRESH_VERB, async (ctx, _state, data) => {
    const parsed = pressed.safeParse(data);
    const approvalId = parsed.success ? approvalOfKey(parsed.data.value) : null;
    const view = approvalId ? await deps.queries.approvalView('teams', actorOf(ctx.activity).userId, approvalId) : null;
    if (!view) return outOfDate();
    return renderCard(view, { viewer: true })[0]!;
  });

  app.adaptiveCards.actionExecute(ActionIds.acceptHandover, async (ctx, _state, data) => {
    const parsed = pressed.safeParse(data);
    if (!parsed.success) return outOfDate();
    const result = await engine.execute({ type: 'accept_handover', ...common(ctx), handoverId: parsed.data.value });
    deps.kick();
    return answer(result, 'Handover accepted and recorded.');
  });
}
