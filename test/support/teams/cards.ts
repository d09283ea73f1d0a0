import { createRequire } from 'node:module';
import { expect } from 'vitest';

// adaptivecards 3 crashes on a bare import in Node; its UMD bundle parses and validates without a DOM.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

/** Teams refuses a message over about 28 KB. */
export const TEAMS_MESSAGE_LIMIT = 28 * 1024;

type Json = Record<string, unknown>;

/** Every `type` in a card, depth first: the parser drops what it does not know, so a comparison shows it. */
function typesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => typesIn(v, out));
  else if (value && typeof value === 'object') {
    const record = value as Json;
    if (typeof record.type === 'string') out.push(record.type);
    for (const [key, v] of Object.entries(record)) if (key !== 'data' && key !== 'msteams') typesIn(v, out);
  }
  return out;
}

/** What the Adaptive Cards library finds wrong with a card, against the schema version it declares. */
export function cardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents)
    problems.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  const lost = typesIn(card).filter((t) => !typesIn(parsed.toJSON()).includes(t));
  if (lost.length > 0) problems.push(`not understood: ${[...new Set(lost)].join(', ')}`);
  if ((card as Json).version !== '1.5') problems.push(`declares version ${String((card as Json).version)}`);
  return problems;
}

/** Asserts a card is valid Adaptive Card 1.5 and fits in one Teams message. */
export function expectValidCard(card: unknown): void {
  expect(cardProblems(card)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
}

/** The Adaptive Cards an outgoing activity carries, each checked. */
export function cardsOf(activity: unknown): Json[] {
  const attachments = ((activity as Json)?.attachments ?? []) as Json[];
  const cards = attachments
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content as Json);
  cards.forEach(expectValidCard);
  return cards;
}

/** What a card says, in reading order: text blocks, facts as "title: value", button titles. */
export function textsOf(card: unknown, out: string[] = []): string[] {
  if (Array.isArray(card)) card.forEach((c) => textsOf(c, out));
  else if (card && typeof card === 'object') {
    const record = card as Json;
    if (record.type === 'TextBlock') out.push(String(record.text));
    if (record.type === 'FactSet') for (const f of record.facts as Json[]) out.push(`${f.title}: ${f.value}`);
    if (typeof record.type === 'string' && record.type.startsWith('Action.')) out.push(`[${record.title}]`);
    for (const [key, v] of Object.entries(record)) if (key !== 'data') textsOf(v, out);
  }
  return out;
}

/** The buttons on a card with what they send back. */
export function actionsOf(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const record = v as Json;
      if (typeof record.type === 'string' && record.type.startsWith('Action.')) out.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return out;
}
