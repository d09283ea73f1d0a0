import type { TurnContext } from 'botbuilder';
import { helpText, parseCommandText } from '../../../src/engine/command-text.ts';
import { noticeCard } from '../../../src/messages/cards.ts';
import { formValue } from '../../../src/messages/forms.ts';
import { ActionIds, type Card } from '../../../src/messages/outbound.ts';
import { actorOf } from '../activity.ts';
import { openEpisodeValue } from '../form-state.ts';
import { refusalCard, reply, resultCard, type HandlerDeps } from './deps.ts';

const info = (title: string, lines: string[], tone: Card['tone'] = 'info'): Card => ({
  title,
  tone,
  // One block a line: a TextBlock folds single newlines away.
  blocks: lines.map((text) => ({ type: 'text' as const, text })),
  fallback: lines.join(' '),
});

const help = () => [
  ...helpText('missing').split('\n'),
  'In a channel, @mention me first; in a personal chat with me, just type.',
];

/** A card with one button that opens a form (a Teams dialog). */
const formButton = (title: string, text: string, label: string, value: string): Card => ({
  title,
  tone: 'info',
  blocks: [
    { type: 'text', text },
    { type: 'actions', actions: [{ id: ActionIds.openForm, label, value, style: 'primary' }] },
  ],
  fallback: `${title}. ${text}`,
});

/**
 * Runs the words after `missing` (the grammar every platform shares) for the home behind
 * `channelRef`, answering in the conversation the command came from.
 */
export async function runCommand(
  ctx: TurnContext,
  deps: HandlerDeps,
  words: string,
  channelRef: string,
): Promise<void> {
  const { engine, logger } = deps;
  const say = (card: Card) => reply(ctx, card, logger);
  const intent = parseCommandText(words);
  switch (intent.kind) {
    case 'help':
      return say(info('How to use missing', help()));
    case 'unclear':
      return say(info(`I didn’t understand “${intent.word}”`, help(), 'warning'));
    case 'handover':
      return say((await engine.handoverSummary('teams', { channelRef })) ?? refusalCard({ code: 'unknown_home' }));
    case 'list':
      return say((await engine.listEpisodes('teams', channelRef)) ?? refusalCard({ code: 'unknown_home' }));
    case 'status': {
      const card = resultCard(await engine.episodeStatus('teams', channelRef, intent.child));
      return card ? say(card) : undefined;
    }
    case 'choose': {
      if (!(await engine.homeView('teams', channelRef))) return say(refusalCard({ code: 'unknown_home' }));
      return say(
        formButton(
          'A child is missing',
          'Choose the child and give the last-seen details in the form.',
          'Open the form',
          openEpisodeValue(channelRef),
        ),
      );
    }
    case 'returned': {
      const status = await engine.episodeStatus('teams', channelRef, intent.child);
      if (!status.ok) return say(refusalCard(status.error));
      if (!status.episodeId) return say(noticeCard(`${intent.child} has no open episode.`));
      return say(
        formButton(
          `${intent.child} has returned`,
          'Record the return details in the form.',
          'Record the return',
          formValue('return', status.episodeId),
        ),
      );
    }
    case 'open': {
      const result = await engine.execute({
        type: 'open_episode',
        actor: actorOf(ctx.activity),
        eventId: `cmd:${ctx.activity.id}`,
        channel: { platform: 'teams', channelRef },
        child: intent.child,
      });
      deps.kick();
      // A retried delivery of the same message: it was answered the first time.
      if (result.ok && result.duplicate) return;
      const card = resultCard(result);
      return card ? say(card) : undefined;
    }
  }
}
