import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formCommand } from '../../src/engine/commands/form-commands.ts';
import { formSpec, openEpisodeFormSpec } from '../../src/messages/form-specs.ts';
import { formIds, type FormId } from '../../src/messages/forms.ts';
import { defaultProtocol } from '../../src/protocol/default-protocol.ts';
import { demoChannel, jo, must, startTestBot, type TestBot } from '../support/bot.ts';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

/** A plausible answer for every field of a form, the way a person would fill it in. */
function fillIn(form: FormId): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const field of formSpec(form, defaultProtocol, 'Europe/London').fields) {
    if (field.kind === 'datetime') values[field.name] = field.required ? '2026-11-20T22:00:00Z' : '';
    else if (field.kind === 'select') values[field.name] = field.options![0]!.value;
    else if (field.kind === 'multiselect') values[field.name] = [field.options![0]!.value];
    else values[field.name] = `${field.label} — answer`;
  }
  return values;
}

describe('forms', () => {
  it('every form field has a label and every choice has options', () => {
    for (const id of formIds) {
      const spec = formSpec(id, defaultProtocol, 'Europe/London');
      expect(spec.fields.length).toBeGreaterThan(0);
      for (const field of spec.fields) {
        expect(field.label.trim()).not.toBe('');
        if (field.kind === 'select' || field.kind === 'multiselect') expect(field.options?.length).toBeGreaterThan(0);
      }
    }
  });

  it('says in every time field which zone it means, and only an optional one that it may be left empty', () => {
    const specs = [
      ...formIds.map((id) => formSpec(id, defaultProtocol, 'Europe/London')),
      openEpisodeFormSpec(['AJ'], 'Europe/London'),
    ];
    const times = specs.flatMap((s) => s.fields).filter((f) => f.kind === 'datetime');
    expect(times.length).toBeGreaterThan(8);
    for (const f of times) {
      expect(f.hint).toContain('UK time (Europe/London)');
      if (f.required) expect(f.hint).not.toMatch(/empty/i);
      else expect(f.hint).toMatch(/empty means now\./i);
    }
    expect(formSpec('last_seen', defaultProtocol, 'Europe/London').fields[0]).toMatchObject({
      name: 'at',
      required: true,
      hint: 'In UK time (Europe/London).',
    });
    expect(formSpec('police_report', defaultProtocol, 'Asia/Kabul').fields.at(-1)?.hint).toBe(
      'Empty means now. In Asia/Kabul time.',
    );
  });

  it('turns each filled-in form into a command the engine accepts', async () => {
    const opened = await must(bot.engine, { type: 'open_episode', actor: jo, channel: demoChannel, child: 'AJ' });
    const episodeId = opened.episodeId!;
    // In protocol order: facts while missing, then the return, then what follows it.
    const order: FormId[] = [
      'last_seen',
      'police_report',
      'notification',
      'contact_attempt',
      'search',
      'risk',
      'classify',
      'not_applicable',
      'return',
      'follow_up',
      'rhi',
      'closure',
    ];
    expect([...order].sort()).toEqual([...formIds].sort());
    for (const form of order) {
      const values = fillIn(form);
      if (form === 'classify') values.classification = 'absent'; // a downgrade: becomes a request for a manager
      if (form === 'risk') values.level = 'high';
      if (form === 'follow_up') values.what = 'police_told_of_return';
      if (form === 'rhi') values.status = 'offered';
      if (form === 'closure') values.withFollowUps = 'yes'; // the RHI is offered, not yet held
      const command = formCommand(form, episodeId, form === 'not_applicable' ? 'ask-peers' : '', values, jo);
      const result = await bot.engine.execute(command);
      expect(result, form).toMatchObject({ ok: true });
    }
    const kinds = (await bot.store.transaction((tx) => tx.record.list(episodeId))).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'last_seen',
        'police_report',
        'notification',
        'contact_attempt',
        'search',
        'risk',
        'item_not_applicable',
        'returned',
        'police_told_of_return',
        'rhi',
        'approval_requested',
      ]),
    );
  });

  it('names the fields that are wrong when a form is submitted half-filled', async () => {
    const opened = await must(bot.engine, { type: 'open_episode', actor: jo, channel: demoChannel, child: 'AJ' });
    const result = await bot.engine.execute(
      formCommand('police_report', opened.episodeId!, '', { reference: 'CAD-1', officer: 'PC Evans', grade: '' }, jo),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(result)).toContain('Police risk grade');
  });
});
