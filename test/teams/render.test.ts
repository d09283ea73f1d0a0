import { describe, expect, it } from 'vitest';
import { renderCard } from '../../adapters/teams/render/card.ts';
import { formTask } from '../../adapters/teams/render/form-card.ts';
import { noticeCard } from '../../src/messages/cards.ts';
import { everyCard, tz } from '../support/every-card.ts';
import { formSpec, openEpisodeFormSpec } from '../../src/messages/form-specs.ts';
import { formIds } from '../../src/messages/forms.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';
import { cardProblems, expectValidCard, TEAMS_MESSAGE_LIMIT, textsOf } from '../support/teams/cards.ts';

describe('rendering neutral cards as Adaptive Cards 1.5', () => {
  it('mentions the people a reminder is for with a mention entity, so Teams notifies them', () => {
    const card = everyCard.find(([name]) => name === 'reminder with mentions')![1];
    const [rendered] = renderCard(card);
    expect(textsOf(rendered)).toContain('For <at>Sam Okafor</at>');
    expect(rendered!.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>Sam Okafor</at>', mentioned: { id: 'U0SAM', name: 'Sam Okafor' } },
    ]);
  });

  it('draws a managers-only card without its buttons for everyone, and with them for a viewer who may use them', () => {
    const card = everyCard.find(([name]) => name === 'approval pending, managers only')![1];
    const [base] = renderCard(card, { refreshUserIds: ['29:sam'] });
    expect(textsOf(base)).not.toContain('[Approve]');
    expect(base!.refresh).toMatchObject({
      action: { verb: 'refresh_view', data: { value: 'approval:ap-1' } },
      userIds: ['29:sam'],
    });
    const [own] = renderCard(card, { viewer: true });
    expect(textsOf(own)).toContain('[Approve]');
    expect(own!.refresh).toBeUndefined();
  });

  it.each(everyCard)('renders the %s card as one valid message', (_name, card) => {
    const rendered = renderCard(card);
    expect(rendered).toHaveLength(1);
    expectValidCard(rendered[0]);
    if (card.title) expect(textsOf(rendered[0])[0]).toBe(card.title);
  });

  it.each([...formIds])('renders the %s form as a valid dialog card', (id) => {
    const task = formTask(formSpec(id, defaultProtocol, tz), `${id}|ep-1|`, {
      error: 'Please check',
      prior: { reason: 'x' },
    });
    expectValidCard(task.card.content);
    expect(task.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('renders the open-episode form, even for a home with no children listed', () => {
    expectValidCard(formTask(openEpisodeFormSpec(['AJ', 'BT'], tz), 'open_episode|c').card.content);
    expectValidCard(formTask(openEpisodeFormSpec([], tz), 'open_episode|c').card.content);
  });

  it('catches what it is meant to catch: an unknown element, a wrong version', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.2', body: [] })).toContain('declares version 1.2');
  });
});

describe('content longer than one Teams message', () => {
  const long = (n: number) =>
    Array.from({ length: n }, (_, i) => `Line ${i}: ${'searched the park and the bus station '.repeat(3)}`).join('\n');

  it('splits into several valid cards under the limit, in order, losing nothing', () => {
    const text = long(700); // about 80 KB
    const card: Card = {
      title: 'AJ: record so far',
      tone: 'info',
      fallback: 'AJ: record so far',
      blocks: [
        { type: 'text', text },
        {
          type: 'fields',
          fields: Array.from({ length: 200 }, (_, i) => ({ label: `Fact ${i}`, value: 'x'.repeat(100) })),
        },
      ],
    };
    const parts = renderCard(card);
    expect(parts.length).toBeGreaterThan(3);
    parts.forEach((p) => {
      expectValidCard(p);
      expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(24 * 1024);
    });
    expect(textsOf(parts[0])[0]).toBe('AJ: record so far');
    expect(textsOf(parts[1])[0]).toBe('AJ: record so far (continued)');
    const body = parts.flatMap((p) => textsOf(p).slice(1));
    const facts = body.filter((s) => /^Fact \d+: x+$/.test(s));
    expect(body.filter((s) => !facts.includes(s)).join('')).toBe(text);
    expect(facts).toHaveLength(200);
    expect(TEAMS_MESSAGE_LIMIT).toBe(28 * 1024);
  });

  it('splits a single endless word too', () => {
    const parts = renderCard(noticeCard('x'.repeat(100_000)));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach(expectValidCard);
    expect(
      parts
        .flatMap((p) => textsOf(p))
        .filter((s) => s !== '(continued)')
        .join(''),
    ).toBe('x'.repeat(100_000));
  });
});
