import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jo, must, openWithThread, priya, recordOf, startTestBot, type TestBot } from '../support/bot.ts';
import { pdfPages } from '../support/pdf-text.ts';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

describe('the police grab pack', () => {
  it('gives whoever reports to the police one page of what the police ask for, and records it', async () => {
    const { episodeId } = await openWithThread(bot, 'AJ', jo);
    await must(bot.engine, {
      type: 'record_last_seen',
      actor: jo,
      episodeId,
      at: '2026-11-20T21:55:00Z',
      place: 'Front gate',
      clothing: 'Black hoodie, red trainers',
      withWhom: 'Older friend "T"',
    });
    // A support worker on the phone to the police may have it: no manager needed.
    const result = await must(bot.engine, { type: 'police_pack', actor: priya, target: 'AJ', delivery: 'attachment' });
    const [pack] = result.files!;
    expect(pack!.name).toMatch(/^police-pack-AJ-\w{8}\.pdf$/);
    const pages = await pdfPages(pack!.bytes);
    expect(pages).toHaveLength(1);
    for (const expected of [
      'Police grab pack — Demo Child One',
      'Date of birth: 2010-05-14 (age 16)',
      'Last seen: Fri 20 Nov 2026, 21:55:00 GMT',
      'Where: Front gate',
      'Clothing and belongings: Black hoodie, red trainers',
      'Medical needs: Asthma — carries an inhaler',
      'Associates: Older friend known as "T"',
      'Places: Town centre bus station; Riverside park',
      'Risk factors: Has a medical condition or needs medication',
      // The profile kept ready before any episode, with the date it was last checked.
      'Description: Slim, about 5 ft 4 in, shoulder-length brown hair',
      'Phones: 07700 900123 (her own, pay as you go)',
      'Social media: Snapchat: aj_demo; Instagram: @aj.demo',
      'Recent photo: kept in the office safe, taken October 2026: hand it over in person',
      'Profile last checked: 2026-10-30',
    ])
      expect(pages[0]).toContain(expected);
    const last = (await recordOf(bot, episodeId)).at(-1)!;
    expect(last).toMatchObject({ kind: 'record_exported', authorName: 'Priya Shah' });
    expect(last.text).toMatch(/exported the police grab pack/);
  });

  it('is only for an open episode', async () => {
    const result = await bot.engine.execute({ type: 'police_pack', actor: jo, target: 'AJ' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_export', detail: { target: 'AJ', open: 'yes' } },
    });
  });
});
