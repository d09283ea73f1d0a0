import { splitText } from '../../src/messages/format.ts';
import type { CardAction, CardBlock, Card } from '../../src/messages/outbound.ts';

/** Block Kit's limits (https://api.slack.com/reference/block-kit/blocks). */
export const LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  fieldText: 2_000,
  fields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2_000,
  messageChars: 12_000,
};

// Loosely typed on purpose: we build plain Block Kit JSON and check the limits ourselves.
export type Block = Record<string, unknown>;

/** Escapes the three characters mrkdwn treats as markup. */
export const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Splits text for display: pieces of at most `max` characters, cut at line or word ends. */
export const split = (text: string, max: number) => splitText(text, max, { dropSeparator: true });

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
/** Section blocks for text (escaped here unless it is already mrkdwn), split at the limit. */
const sections = (text: string, isMrkdwn = false): Block[] =>
  split(isMrkdwn ? text : escape(text), LIMITS.sectionText).map((t) => ({ type: 'section', text: mrkdwn(t) }));

/** A button; action ids must be unique in a message, so the index is appended. */
function button(action: CardAction, index: number): Block {
  const text =
    action.label.length > LIMITS.buttonText ? `${action.label.slice(0, LIMITS.buttonText - 1)}…` : action.label;
  return {
    type: 'button',
    action_id: `${action.id}:${index}`,
    text: { type: 'plain_text', text, emoji: true },
    value: action.value.slice(0, LIMITS.buttonValue),
    ...(action.style ? { style: action.style } : {}),
  };
}

function renderBlock(block: CardBlock, counter: { n: number }): Block[] {
  switch (block.type) {
    case 'text':
      return block.text ? sections(block.text) : [];
    case 'fields': {
      const out: Block[] = [];
      for (let i = 0; i < block.fields.length; i += LIMITS.fields) {
        const fields = block.fields
          .slice(i, i + LIMITS.fields)
          .map((f) => mrkdwn(`*${escape(f.label)}*\n${escape(f.value)}`.slice(0, LIMITS.fieldText)));
        out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'checklist':
      return block.items.flatMap((item) => {
        const mark =
          item.status === 'done'
            ? ':white_check_mark:'
            : item.status === 'not_applicable'
              ? ':heavy_minus_sign:'
              : ':white_large_square:';
        const label = item.status === 'open' ? `*${escape(item.label)}*` : escape(item.label);
        const out: Block[] = sections(`${mark} ${label}`, true);
        const notes = [item.help, item.note].filter((x): x is string => Boolean(x));
        if (notes.length > 0)
          out.push({ type: 'context', elements: notes.map((n) => mrkdwn(escape(n).slice(0, LIMITS.fieldText))) });
        if (item.actions.length > 0)
          out.push({ type: 'actions', elements: item.actions.map((a) => button(a, counter.n++)) });
        return out;
      });
    case 'actions':
      return block.actions.length > 0
        ? [{ type: 'actions', elements: block.actions.map((a) => button(a, counter.n++)) }]
        : [];
  }
}

const textSize = (block: Block) => JSON.stringify(block).length;

/**
 * Renders a card as one or more Block Kit messages: long cards are split across messages, never
 * cut short. Each page stays under 50 blocks and Slack's total-size limit.
 */
export function renderCard(card: Card): Block[][] {
  const counter = { n: 0 };
  const blocks: Block[] = [];
  if (card.title) {
    if (card.title.length <= LIMITS.headerText)
      blocks.push({ type: 'header', text: { type: 'plain_text', text: card.title, emoji: true } });
    else
      blocks.push(
        ...split(escape(card.title), LIMITS.sectionText - 2).map((t) => ({ type: 'section', text: mrkdwn(`*${t}*`) })),
      );
  }
  const mentions = mentionsOf(card);
  if (mentions) blocks.push({ type: 'section', text: mrkdwn(`For ${mentions}`) });
  for (const block of card.blocks) blocks.push(...renderBlock(block, counter));
  const pages: Block[][] = [[]];
  let size = 0;
  for (const block of blocks) {
    const page = pages.at(-1)!;
    if (page.length > 0 && (page.length >= LIMITS.blocks || size + textSize(block) > LIMITS.messageChars)) {
      pages.push([]);
      size = 0;
    }
    pages.at(-1)!.push(block);
    size += textSize(block);
  }
  return pages;
}

/** Slack user ids, the only thing put into a mention unescaped. */
const userId = /^[UW][A-Z0-9]{2,}$/;

/** The people a card is for as Slack mentions (`<@U…>`), which notify them; null when none. */
function mentionsOf(card: Card): string | null {
  const ids = (card.mentions ?? []).map((m) => m.platformUserId).filter((id) => userId.test(id));
  return ids.length > 0 ? ids.map((id) => `<@${id}>`).join(', ') : null;
}

/** The notification text that goes with blocks (what phones and screen readers show). */
export function fallbackText(card: Card): string {
  const mentions = mentionsOf(card);
  const text = card.fallback || card.title || 'Missing-episode bot';
  return split(mentions ? `${mentions} ${text}` : text, 3_000)[0]!;
}

/** Splits a button's action id back into the engine's action id. */
export const actionIdOf = (actionId: string) => actionId.split(':')[0] ?? '';
