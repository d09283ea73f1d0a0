import type { TurnContext } from 'botbuilder';
import { exportCommand, helpText, parseCommandText } from '../../../src/engine/commands/command-text.ts';
import type { Result } from '../../../src/engine/base/context.ts';
import { DOWNLOAD_MINUTES } from '../../../src/engine/exports/rules.ts';
import { exportTexts } from '../../../src/messages/export-texts.ts';
import { noticeCard } from '../../../src/messages/cards.ts';
import { formValue } from '../../../src/messages/forms.ts';
import { ActionIds, type Card } from '../../../src/messages/outbound.ts';
import { describeError } from '../../../src/messages/texts.ts';
import { activityKey, actorOf, isPersonal } from '../activity/activity.ts';
import { renderCard } from '../render/card.ts';
import { attachment } from '../render/elements.ts';
import { openEpisodeValue } from '../activity/form-state.ts';
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
 * An export's answer in the personal chat: the engine's card with one "Download" button a file,
 * each opening the bot's one-time link. (Teams' own file cards need the files permission, a
 * consent round trip and OneDrive; a short-lived link served by the bot is the simple way.)
 */
async function sendFiles(ctx: TurnContext, deps: HandlerDeps, result: Extract<Result, { ok: true }>): Promise<void> {
  const files = (result.files ?? []).filter((f) => f.link && /^https:\/\//.test(f.link.url));
  if (files.length === 0) return reply(ctx, noticeCard(exportTexts.noPublicUrl, 'warning'), deps.logger);
  const answer = result.reply ?? noticeCard('');
  const card = renderCard({
    ...answer,
    blocks: [...answer.blocks, { type: 'text', text: exportTexts.linksBelow(DOWNLOAD_MINUTES) }],
  })[0]!;
  const actions = files.map((f) => ({ type: 'Action.OpenUrl', title: exportTexts.download(f.name), url: f.link!.url }));
  try {
    await ctx.sendActivity({
      type: 'message',
      summary: answer.fallback.slice(0, 250),
      attachments: [attachment({ ...card, actions })],
    });
  } catch (error) {
    deps.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'teams: export links not delivered',
    );
  }
}

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
  const { engine, queries, logger } = deps;
  const say = (card: Card) => reply(ctx, card, logger);
  const intent = parseCommandText(words);
  switch (intent.kind) {
    case 'help':
      return say(info('How to use missing', help()));
    case 'unclear':
      return say(info(describeError({ code: 'not_understood', detail: { word: intent.word } }), help(), 'warning'));
    case 'handover':
      return say((await queries.handoverSummary('teams', { channelRef })) ?? refusalCard({ code: 'unknown_home' }));
    case 'list':
      return say((await queries.listEpisodes('teams', channelRef)) ?? refusalCard({ code: 'unknown_home' }));
    case 'status': {
      const card = resultCard(await queries.episodeStatus('teams', channelRef, intent.child));
      return card ? say(card) : undefined;
    }
    case 'choose': {
      if (!(await queries.homeView('teams', channelRef))) return say(refusalCard({ code: 'unknown_home' }));
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
      const status = await queries.episodeStatus('teams', channelRef, intent.child);
      if (!status.ok) return say(refusalCard(status.error));
      if (!status.episodeId)
        return say(noticeCard(describeError({ code: 'no_open_episode', detail: { child: intent.child } })));
      return say(
        formButton(
          `${intent.child} has returned`,
          'Record the return details in the form.',
          'Record the return',
          formValue('return', status.episodeId),
        ),
      );
    }
    case 'export':
    case 'pack':
    case 'patterns':
    case 'returns': {
      // Files go to the person alone: never into a channel, where everyone would see the links.
      if (!isPersonal(ctx.activity)) return say(refusalCard({ code: 'export_private_only' }));
      const result = await engine.execute({
        ...exportCommand(intent, actorOf(ctx.activity), 'link'),
        eventId: activityKey('cmd', ctx.activity),
      });
      if (result.ok && result.duplicate) return;
      if (!result.ok) return say(refusalCard(result.error));
      return sendFiles(ctx, deps, result);
    }
    case 'open': {
      const result = await engine.execute({
        type: 'open_episode',
        actor: actorOf(ctx.activity),
        eventId: activityKey('cmd', ctx.activity),
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
