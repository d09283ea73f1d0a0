import { describe, expect, it } from 'vitest';
import { LIMITS, renderCard, split } from '../../adapters/slack/blocks.ts';
import type { Card } from '../../src/messages/outbound.ts';
import { must, demoChannel, jo, startTestBot } from '../support/bot.ts';
import { everyCard } from '../support/every-card.ts';

type AnyBlock = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: { text: string } | string; value?: string }[];
};

/** Every limit Slack enforces that we can check offline. */
function checkLimits(pages: unknown[][]) {
  for (const page of pages as AnyBlock[][]) {
    expect(page.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(JSON.stringify(page).length).toBeLessThan(13_000);
    for (const block of page) {
      if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      if (block.type === 'section' && block.text)
        expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    }
  }
}

describe('Block Kit rendering', () => {
  it.each(everyCard)('renders the %s card within every Block Kit limit', (_name, card) => {
    const pages = renderCard(card);
    expect(pages.length).toBeGreaterThan(0);
    checkLimits(pages);
    if (card.title) expect(JSON.stringify(pages[0]![0])).toContain(JSON.stringify(card.title).slice(1, 40));
  });

  it('mentions the people a reminder is for, so Slack notifies them', () => {
    const card = everyCard.find(([name]) => name === 'reminder with mentions')![1];
    expect(renderCard(card)[0]![1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'For <@U0SAM>' } });
  });

  it('splits long text across sections and messages without losing a character', () => {
    const words = Array.from({ length: 4_000 }, (_, i) => `word${i}`).join(' ');
    const card: Card = { title: 'Long', tone: 'info', blocks: [{ type: 'text', text: words }], fallback: 'Long' };
    const pages = renderCard(card);
    expect(pages.length).toBeGreaterThan(1);
    checkLimits(pages);
    const text = (pages.flat() as AnyBlock[]).filter((b) => b.type === 'section').map((b) => b.text!.text);
    expect(text.join(' ')).toBe(words);
  });

  it('keeps every checklist button when a card has more items than one message holds', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      id: `i${i}`,
      label: `Item ${i}`,
      status: 'open' as const,
      actions: [{ id: 'tick_item' as const, label: 'Done', value: `e|i${i}` }],
    }));
    const pages = renderCard({ title: 'Many', tone: 'info', blocks: [{ type: 'checklist', items }], fallback: 'Many' });
    checkLimits(pages);
    const values = (pages.flat() as AnyBlock[]).flatMap((b) =>
      b.type === 'actions' ? b.elements!.map((e) => e.value) : [],
    );
    expect(values).toEqual(items.map((item) => item.actions[0]!.value));
  });

  it('escapes the characters mrkdwn treats as markup', () => {
    const [page] = renderCard({
      title: '',
      tone: 'info',
      blocks: [{ type: 'text', text: 'Seen with <Tom> & <!channel>' }],
      fallback: '',
    });
    expect((page![0] as AnyBlock).text!.text).toBe('Seen with &lt;Tom&gt; &amp; &lt;!channel&gt;');
  });

  it('splits at line or word ends', () => {
    expect(split('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(split('', 10)).toEqual(['']);
  });

  it('renders every card of a real episode within Slack’s limits', async () => {
    const bot = await startTestBot();
    try {
      const opened = await must(bot.engine, { type: 'open_episode', actor: jo, channel: demoChannel, child: 'AJ' });
      await must(bot.engine, {
        type: 'record_police_report',
        actor: jo,
        episodeId: opened.episodeId,
        reference: 'R'.repeat(2_000),
        officer: 'PC',
        grade: 'high',
      });
      await bot.tick();
      expect(bot.chat.delivered.length).toBeGreaterThan(3);
      for (const d of bot.chat.delivered) checkLimits(renderCard(d.card));
    } finally {
      await bot.close();
    }
  });
});
