import type { Card } from '../../../src/messages/outbound.ts';

/** An Adaptive Card as JSON (schema 1.5: the version Teams needs for Action.Execute). */
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: Element[];
  actions?: Element[];
  fallbackText?: string;
  /** Universal Actions: Teams asks the bot for each viewer's own view of the card (role views). */
  refresh?: { action: Element; userIds: string[] };
  msteams?: {
    width: 'Full';
    /** Mentions in the card's text (`<at>Name</at>`), so Teams notifies the people named. */
    entities?: { type: 'mention'; text: string; mentioned: { id: string; name: string } }[];
  };
};
export type Element = Record<string, unknown>;

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

const toneColour: Record<Card['tone'], string> = {
  info: 'Default',
  warning: 'Warning',
  urgent: 'Attention',
  success: 'Good',
};
export const colourOf = (tone: Card['tone']) => toneColour[tone];

/** Adaptive Card TextBlocks render a little markdown but no code spans: show commands in bold. */
export const markdown = (text: string) => text.replace(/`([^`\n]+)`/g, '**$1**');

export const textBlock = (text: string, extra: Element = {}): Element => ({
  type: 'TextBlock',
  text: markdown(text),
  wrap: true,
  ...extra,
});

/** A card's heading, coloured by its tone. */
export const heading = (title: string, tone: Card['tone']): Element =>
  textBlock(title, { weight: 'Bolder', size: 'Medium', style: 'heading', color: toneColour[tone] });

/** Wraps body elements (and optional card-level actions) as a card. */
export function adaptiveCard(body: Element[], fallbackText?: string, actions?: Element[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body,
    ...(actions && actions.length > 0 ? { actions } : {}),
    ...(fallbackText ? { fallbackText: fallbackText.slice(0, 1_000) } : {}),
    msteams: { width: 'Full' },
  };
}

/** A card as a message attachment. */
export const attachment = (card: AdaptiveCard) => ({ contentType: ADAPTIVE_CARD, content: card });
