import type { TurnContext } from 'botbuilder';
import { noticeCard } from '../../../src/messages/cards.ts';
import { actorOf, channelIdOf, commandWords, isChannel, isPersonal, mentionsBot } from '../activity/activity.ts';
import { runCommand } from './commands.ts';
import { refusalCard, reply, type HandlerDeps } from './deps.ts';
import { recordInThread } from './thread-messages.ts';

/**
 * Every message the bot receives. In a channel: first the record (if it is in an episode's reply
 * chain), then a command if the bot was @mentioned. In a personal chat: a command, for the home
 * the person works in.
 */
export async function onMessage(ctx: TurnContext, deps: HandlerDeps): Promise<void> {
  const a = ctx.activity;
  if (isChannel(a)) {
    const inEpisode = await recordInThread(ctx, deps, 'posted');
    const channelRef = channelIdOf(a);
    if (!mentionsBot(a) || !channelRef) return;
    const words = commandWords(a);
    if (words !== null) return runCommand(ctx, deps, words, channelRef);
    // Talking to the bot inside an episode's thread is part of the record, not a command.
    if (!inEpisode)
      await reply(ctx, noticeCard('Type `missing help` after my name to see what I can do.'), deps.logger);
    return;
  }
  if (isPersonal(a)) {
    const words = commandWords(a);
    if (words === null) return;
    const view = await deps.queries.homeViewForUser('teams', actorOf(a).userId);
    if (!view) return reply(ctx, refusalCard({ code: 'unknown_staff' }), deps.logger);
    if (!view.channelRef)
      return reply(
        ctx,
        noticeCard(
          `${view.name} has no Teams channel yet. Ask your administrator to add it to the home configuration.`,
        ),
        deps.logger,
      );
    return runCommand(ctx, deps, words, view.channelRef);
  }
  if (mentionsBot(a))
    await reply(
      ctx,
      noticeCard('I work in your home’s channel (@mention me there) and in a personal chat with me.'),
      deps.logger,
    );
}
