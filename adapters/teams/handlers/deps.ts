import type { TurnContext } from 'botbuilder';
import type { Result } from '../../../src/engine/base/context.ts';
import type { Commands } from '../../../src/engine/engine.ts';
import type { Queries } from '../../../src/engine/queries.ts';
import { noticeCard } from '../../../src/messages/cards.ts';
import type { Card } from '../../../src/messages/outbound.ts';
import { describeError, type EngineError } from '../../../src/messages/texts.ts';
import type { Clock } from '../../../src/ports/clock.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { cardActivities } from '../render/card.ts';

/** What every Teams handler is given. */
export interface HandlerDeps {
  engine: Commands;
  queries: Queries;
  logger: Logger;
  clock: Clock;
  /** Asks the scheduler to deliver queued cards now rather than at its next tick. */
  kick: () => void;
}

/** The card for an engine refusal: the kind words from src/messages/texts.ts. */
export const refusalCard = (error: EngineError): Card => noticeCard(describeError(error), 'warning');

/** What to show the person who acted: the engine's reply, or the reason it refused. */
export const resultCard = (r: Result): Card | null => (r.ok ? (r.reply ?? null) : refusalCard(r.error));

/**
 * Replies in the conversation the activity came from (in a channel: its reply chain). Best effort:
 * by now the record is written, so a failed reply is logged, not retried.
 */
export async function reply(ctx: TurnContext, card: Card, logger: Logger): Promise<void> {
  try {
    for (const activity of cardActivities(card)) await ctx.sendActivity(activity);
  } catch (error) {
    logger.warn(
      { activityId: ctx.activity.id, err: error instanceof Error ? error.message : String(error) },
      'teams: reply not delivered',
    );
  }
}
