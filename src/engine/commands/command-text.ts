import type { Actor } from './commands.ts';

/** What someone meant by the text after `/missing` (Slack) or `missing` (Teams, web). */
export type CommandText =
  | { kind: 'open'; child: string }
  | { kind: 'list' }
  | { kind: 'status'; child: string }
  | { kind: 'returned'; child: string }
  | { kind: 'handover' }
  | { kind: 'export'; target: string }
  | { kind: 'pack'; child: string }
  | { kind: 'patterns'; child?: string }
  | { kind: 'returns'; year?: number }
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
  if (word === 'export' || word === 'pack') {
    if (!child) return { kind: 'unclear', word };
    return word === 'export' ? { kind: 'export', target: child } : { kind: 'pack', child };
  }
  if (word === 'patterns') return child ? { kind: 'patterns', child } : { kind: 'patterns' };
  if (word === 'returns') {
    // A collection year as people write it: 2026-27, 2026/27, 2026/2027, or the year it starts in.
    if (rest.length === 0) return { kind: 'returns' };
    const year = rest.length === 1 ? /^(\d{4})(?:[-/](\d{2}|\d{4}))?$/.exec(rest[0]!) : null;
    const start = year ? Number(year[1]) : NaN;
    const next = year?.[2] ? Number(year[2]) % 100 : (start + 1) % 100;
    if (!year || next !== (start + 1) % 100) return { kind: 'unclear', word: text.slice(0, 40) };
    return { kind: 'returns', year: start };
  }
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
    `\`${command} pack AJ\` — the one-page police grab pack for AJ, sent to you privately`,
    `\`${command} export AJ\` — AJ's episode record as PDF and JSON, sent to you privately (managers)`,
    `\`${command} patterns AJ\` — patterns across AJ's episodes (or the home's, without a name), with a chart`,
    `\`${command} returns 2026-27\` — the returns for a collection year: the SSDA903 Missing table and the Annex A figures, as CSV (managers; the current year if none is given)`,
    `\`${command} help\` — this help`,
    'If a child is at risk, call 999 first. The bot never makes you wait for an approval to act.',
  ].join('\n');
}

/** The engine command for a file-producing intent, or null for any other intent. */
export function exportCommand(
  intent: CommandText,
  actor: Actor,
  delivery: 'attachment' | 'link',
): Record<string, unknown> | null {
  switch (intent.kind) {
    case 'export':
      return { type: 'export_record', actor, target: intent.target, delivery };
    case 'pack':
      return { type: 'police_pack', actor, target: intent.child, delivery };
    case 'patterns':
      return { type: 'patterns', actor, ...(intent.child ? { child: intent.child } : {}), delivery };
    case 'returns':
      return { type: 'returns_csv', actor, year: intent.year, delivery };
    default:
      return null;
  }
}
