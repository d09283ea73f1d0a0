// Children who go missing include unaccompanied asylum-seeking children, whose names and whose
// carers' notes may be in Arabic, Tigrinya, Vietnamese or Polish. The record's PDF, the document
// an inspector or a court reads, must print them as written and give them back as text.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { homesYaml } from '../support/homes.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { tempDir } from '../support/temp.ts';

const childName = 'أحمد الحسيني';
const staff = {
  manager: 'Zofia Łódzka-Wiśniewska',
  carer: 'ተስፋይ ገብረመድህን',
  worker: 'Nguyễn Thị Thu Hương',
};
const messages = {
  tigrinya: 'ናብ ቤት ትምህርቲ ከይዱ ኣሎ',
  vietnamese: 'Đã gọi điện cho bạn của em ấy, không ai trả lời.',
  polish: 'Sprawdziłam przystanek przy ulicy Żółkiewskiego — nikogo.',
  arabic: 'رأيناه قرب المحطة',
  mixed: `Rang his cousin ${childName} gave as a contact: no answer.`,
};

let app: App;
beforeAll(async () => {
  const dir = tempDir('multilingual-');
  fs.writeFileSync(
    path.join(dir, 'homes.yaml'),
    homesYaml({
      id: 'oak-house',
      channels: { web: 'oak-house' },
      staff: [
        { id: 'zofia', name: staff.manager, role: 'manager', web: 'zofia' },
        { id: 'tesfay', name: staff.carer, role: 'support_worker', web: 'tesfay' },
        { id: 'huong', name: staff.worker, role: 'support_worker', web: 'huong' },
      ],
      children: [{ id: 'child-ah', alias: 'AH', name: childName, dateOfBirth: '2010-03-02', plan: {} }],
    }),
  );
  app = await startApp({
    env: parseEnv({ DATA_DIR: dir, HOMES_FILE: path.join(dir, 'homes.yaml'), PORT: '0', PLAYGROUND: 'on' }),
    clock: new FakeClock(new Date('2026-11-20T22:10:00Z')),
    logger: silentLogger,
    startTicking: false,
  });
});
afterAll(() => app.stop());

const post = async (route: string, body: unknown) =>
  (await fetch(`${app.url}/api/web/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'oak-house', ...(body as object) }),
  }).then((r) => r.json())) as { ok: boolean; episodeId?: string; files?: { name: string; url: string }[] };

/** Pdf.js gives each word of a right-to-left line in the order it is drawn (right to left): reversed. */
const drawnRightToLeft = (text: string) => text.split(' ').reverse().join(' ');

it('prints names and messages in Arabic, Tigrinya, Vietnamese and Polish as written, and reads them back', async () => {
  const opened = await post('command', { user: 'tesfay', text: '/missing AH' });
  expect(opened.ok).toBe(true);
  await app.ticker.tick();
  const episodeId = opened.episodeId!;
  const said = [
    ['tesfay', messages.tigrinya],
    ['huong', messages.vietnamese],
    ['zofia', messages.polish],
    ['tesfay', messages.arabic],
    ['huong', messages.mixed],
  ] as const;
  for (const [user, text] of said) expect((await post('message', { user, episodeId, text })).ok).toBe(true);

  const exported = await post('command', { user: 'zofia', text: '/missing export AH' });
  expect(exported.ok).toBe(true);
  const link = exported.files!.find((f) => f.name.endsWith('.pdf'))!;
  const pdf = new Uint8Array(await (await fetch(`${app.url}${link.url}`, { method: 'POST' })).arrayBuffer());
  const text = (await pdfPages(pdf)).join('\n').normalize('NFC');

  // Latin with every accent, and Ge'ez: exactly as written, names and messages alike.
  for (const words of [
    staff.manager,
    staff.carer,
    staff.worker,
    messages.tigrinya,
    messages.vietnamese,
    messages.polish,
  ])
    expect(text).toContain(words);
  // Arabic: the child's name in the summary, and a message on a line of its own, drawn right to left.
  expect(text).toContain(`Name: ${drawnRightToLeft(childName)}`);
  expect(text).toContain(drawnRightToLeft(messages.arabic));
  // English with an Arabic name inside it: the English reads left to right around the name.
  expect(text).toContain(`Rang his cousin ${drawnRightToLeft(childName)} gave as a contact: no answer.`);
  // Nothing was replaced by a question mark or stripped of its accents.
  expect(text).not.toMatch(/Lodzka|Nguyen|\?{2,}/);
});
