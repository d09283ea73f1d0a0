import { ActionIds, type Card, type CardAction, type CardBlock } from '../../../src/messages/outbound.ts';
import { attachment, colourOf, textBlock, type AdaptiveCard, type Element } from './elements.ts';
import { splitCard } from './split.ts';

/** The verb Teams sends when it asks for a viewer's own view of a card (its `refresh` action). */
export const REFRESH_VERB = 'refresh_view';

/** Task-module verbs: what an Action.Submit with `msteams.type: task/fetch` (and the dialog's Save) carries. */
export const TaskVerbs = { openForm: 'open_form', submitForm: 'submit_form' } as const;

const mark = { open: '☐', done: '✅', not_applicable: '➖' } as const;

/**
 * A button. Ticks, approvals and handover use Action.Execute (the answer comes back in the invoke
 * response); forms need a dialog, which Teams opens only from Action.Submit with
 * `msteams: { type: 'task/fetch' }`.
 */
export function renderAction(action: CardAction): Element {
  const style = action.style === 'primary' ? 'positive' : action.style === 'danger' ? 'destructive' : undefined;
  const common = { title: action.label, ...(style ? { style } : {}) };
  if (action.id === ActionIds.openForm || action.id === ActionIds.notApplicable)
    return {
      type: 'Action.Submit',
      ...common,
      data: { msteams: { type: 'task/fetch' }, verb: TaskVerbs.openForm, value: action.value },
    };
  return { type: 'Action.Execute', ...common, verb: action.id, data: { value: action.value } };
}

const actionSet = (actions: CardAction[]): Element => ({ type: 'ActionSet', actions: actions.map(renderAction) });
const subtle = { isSubtle: true, size: 'Small', spacing: 'None' };

function renderBlock(block: CardBlock): Element[] {
  switch (block.type) {
    case 'text':
      return block.text ? [textBlock(block.text)] : [];
    case 'fields':
      return block.fields.length > 0
        ? [{ type: 'FactSet', facts: block.fields.map((f) => ({ title: f.label, value: f.value })) }]
        : [];
    case 'actions':
      return block.actions.length > 0 ? [actionSet(block.actions)] : [];
    case 'checklist':
      return block.items.map((item) => ({
        type: 'Container',
        separator: true,
        items: [
          textBlock(`${mark[item.status]} ${item.label}`, item.status === 'open' ? { weight: 'Bolder' } : {}),
          ...(item.help ? [textBlock(item.help, subtle)] : []),
          ...(item.note ? [textBlock(item.note, subtle)] : []),
          ...(item.actions.length > 0 ? [actionSet(item.actions)] : []),
        ],
      }));
  }
}

/**
 * Renders a neutral card as one or more Adaptive Cards: more than one only when it would pass
 * Teams' message size limit.
 */
export function renderCard(card: Card, opts: RenderOptions = {}): AdaptiveCard[] {
  const { personal } = card;
  // A card whose buttons are for some people only: everyone else's view has none; Teams asks
  // for each viewer's own (REFRESH_VERB), and the answer is rendered with `opts.viewer`.
  const blocks = personal && !opts.viewer ? card.blocks.filter((b) => b.type !== 'actions') : card.blocks;
  const cards = renderParts({ ...card, blocks });
  // One viewer's own view carries no refresh of its own: Teams AI would then replace the card for
  // everyone with it. It lasts until the card is next updated, which asks every viewer again.
  if (!personal || opts.viewer) return cards;
  const refresh = {
    action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { value: personal.key } },
    userIds: (opts.refreshUserIds ?? personal.forPlatformUserIds).slice(0, 60),
  };
  return cards.map((c, i) => (i === 0 ? { ...c, refresh } : c));
}

/** How a card is drawn for Teams beyond its content. */
export interface RenderOptions {
  /** Drawn for one viewer who asked for their own view: every button the card has for them. */
  viewer?: boolean;
  /** The Teams ids (`29:…`) of the people with their own view, where the adapter knows them. */
  refreshUserIds?: string[];
}

function renderParts(card: Card): AdaptiveCard[] {
  const body = card.blocks.flatMap(renderBlock);
  // A short notice has no title: its text, in the tone's colour, says it all.
  if (!card.title && body[0]?.type === 'TextBlock') body[0] = { ...body[0], color: colourOf(card.tone) };
  const mentions = card.mentions ?? [];
  if (mentions.length === 0) return splitCard(card.title, card.tone, body, card.fallback);
  // The people it is for are mentioned in the first part, which is what makes Teams notify them.
  const tag = (name: string) => `<at>${name.replace(/[<>]/g, '')}</at>`;
  body.unshift(textBlock(`For ${mentions.map((m) => tag(m.name)).join(', ')}`));
  const [first, ...rest] = splitCard(card.title, card.tone, body, card.fallback);
  const entities = mentions.map((m) => ({
    type: 'mention' as const,
    text: tag(m.name),
    mentioned: { id: m.platformUserId, name: m.name },
  }));
  return [{ ...first!, msteams: { ...first!.msteams, width: 'Full', entities } }, ...rest];
}

/** The message activities that carry a neutral card (the summary is what notifications show). */
export function cardActivities(card: Card, opts: RenderOptions = {}) {
  return renderCard(card, opts).map((content) => ({
    type: 'message' as const,
    summary: card.fallback.slice(0, 250),
    attachments: [attachment(content)],
  }));
}
