import type { Card } from '../../../src/messages/outbound.ts';
import { adaptiveCard, heading, textBlock, type AdaptiveCard, type Element } from './elements.ts';

/**
 * Bytes of card JSON one message may carry. Teams refuses a message over about 28 KB, envelope
 * included; this leaves room for the envelope and JSON escaping.
 */
export const CARD_BUDGET = 24 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Splits text at whitespace (or, for one endless word, anywhere) into pieces of at most maxBytes. */
export function chunkText(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  let current = '';
  let size = 0;
  const add = (piece: string, bytes: number) => {
    if (size + bytes > maxBytes && current) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += piece;
    size += bytes;
  };
  for (const token of text.split(/(?<=\s)/u)) {
    const bytes = Buffer.byteLength(token);
    if (bytes <= maxBytes) add(token, bytes);
    else for (const char of token) add(char, Buffer.byteLength(char));
  }
  if (current) out.push(current);
  return out;
}

/** Breaks one element that is too big by itself into several that fit. */
function breakElement(element: Element, maxBytes: number): Element[] {
  if (bytes(element) <= maxBytes) return [element];
  if (element.type === 'TextBlock' && typeof element.text === 'string')
    // A third of the budget for the text leaves room for JSON escaping of quotes and newlines.
    return chunkText(element.text, Math.floor(maxBytes / 3)).map((text) => ({ ...element, text }));
  if (element.type === 'FactSet' && Array.isArray(element.facts)) {
    const facts = element.facts as { title: string; value: string }[];
    const pieces = facts.flatMap((f) =>
      chunkText(f.value, Math.floor(maxBytes / 3)).map((value, i) => ({ title: i === 0 ? f.title : '', value })),
    );
    return pieces.map((fact) => ({ type: 'FactSet', facts: [fact] }));
  }
  if (element.type === 'Container' && Array.isArray(element.items))
    return (element.items as Element[])
      .flatMap((item) => breakElement(item, maxBytes))
      .map((item) => ({ ...element, items: [item] }));
  return [element];
}

/**
 * Packs a card's body into as few cards as fit the budget, in order. Continuation cards repeat
 * the heading marked "(continued)", so a reader knows where the part belongs.
 */
export function splitCard(
  title: string,
  tone: Card['tone'],
  body: Element[],
  fallback: string,
  budget = CARD_BUDGET,
): AdaptiveCard[] {
  const make = (elements: Element[], part: number) => {
    const top = title
      ? [heading(part === 0 ? title : `${title} (continued)`, tone)]
      : part > 0
        ? [textBlock('(continued)', { isSubtle: true })]
        : [];
    return adaptiveCard([...top, ...elements], fallback);
  };
  const whole = make(body, 0);
  if (bytes(whole) <= budget) return [whole];

  const pieces = body.flatMap((e) => breakElement(e, Math.floor(budget / 2)));
  const cards: AdaptiveCard[] = [];
  let current: Element[] = [];
  for (const piece of pieces) {
    if (current.length > 0 && bytes(make([...current, piece], cards.length)) > budget) {
      cards.push(make(current, cards.length));
      current = [];
    }
    current.push(piece);
  }
  if (current.length > 0) cards.push(make(current, cards.length));
  return cards;
}
