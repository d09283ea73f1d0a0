/** What someone meant by the text after `/missing` (Slack) or `missing` (Teams, web). */
export type CommandText =
  | { kind: 'open'; child: string }
  | { kind: 'list' }
  | { kind: 'status'; child: string }
  | { kind: 'returned'; child: string }
  | { kind: 'handover' }
  | { kind: 'help' }
  | { kind: 'choose' }
  | { kind: 'unclear'; word: string };

const needsChild = new Set(['status', 'returned']);

/** Parses the words after the command; the same grammar on every platform. */
export function parseCommandText(raw: string): CommandText {
  // Control characters never mean anything here; collapse whitespace (Slack sends NBSPs too).
  const text = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (!text) return { kind: 'choose' };
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  const child = rest.join(' ').trim();
  if (word === 'help' || word === '?') return { kind: 'help' };
  if (word === 'list') return { kind: 'list' };
  if (word === 'handover') return { kind: 'handover' };
  if (needsChild.has(word)) return child ? { kind: word as 'status' | 'returned', child } : { kind: 'unclear', word };
  // Anything else is a child's alias; aliases are short, so a sentence is probably a typo.
  if (rest.length > 2) return { kind: 'unclear', word: text.slice(0, 40) };
  return { kind: 'open', child: text };
}

/** The help text, the same on every platform (the adapter names its own command). */
export function helpText(command: string): string {
  return [
    `\`${command} AJ\` — open an episode for the child with alias AJ (or join the one already open)`,
    `\`${command}\` — choose the child and enter the last-seen details in a form`,
    `\`${command} list\` — the home's open episodes`,
    `\`${command} status AJ\` — where AJ's episode stands`,
    `\`${command} returned AJ\` — record AJ's return`,
    `\`${command} handover\` — the handover summary of every open episode`,
    `\`${command} help\` — this help`,
    'If a child is at risk, call 999 first. The bot never makes you wait for an approval to act.',
  ].join('\n');
}
