import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jo, must, openEpisode, sam, startTestBot, type TestBot } from '../support/bot.ts';

const run = promisify(execFile);
let bot: TestBot;
let episodeId: string;
let file: string;

/** `npm run verify-record -- <arg>` (through tsx directly), with the test bot's data folder. */
async function verify(arg: string) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-record.ts', arg], {
      env: { ...process.env, DATA_DIR: bot.dir, DATABASE_URL: '' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
  episodeId = await openEpisode(bot, 'AJ', jo);
  await must(bot.engine, {
    type: 'record_contact_attempt',
    actor: jo,
    episodeId,
    method: 'text',
    outcome: 'Read, no reply',
  });
  const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
  file = path.join(bot.dir, 'record.json');
  fs.writeFileSync(file, result.files!.find((f) => f.name.endsWith('.json'))!.bytes);
  await bot.close();
});
afterAll(() => fs.rmSync(bot.dir, { recursive: true, force: true }));

describe('npm run verify-record', () => {
  it('passes an exported file that is intact', async () => {
    const out = await verify(file);
    expect(out).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^OK .*record\.json: The hash chain checks out: all 2 entries/),
    });
  });

  it('names the entry of a file changed after export', async () => {
    const changed = path.join(bot.dir, 'changed.json');
    fs.writeFileSync(
      changed,
      fs.readFileSync(file, 'utf8').replace('by text: Read, no reply"', 'by text: Read, no replY"'),
    );
    const out = await verify(changed);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/BROKEN .*changed\.json at entry 2: its content does not match its hash/);
  });

  it('checks an episode in the database by its id, and finds a row changed behind the bot’s back', async () => {
    expect(await verify(episodeId)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`OK episode ${episodeId}`),
    });
    // Someone edits the stored record directly.
    const tampered = await startTestBot({ dir: bot.dir });
    await tampered.database.prisma.logEntry.updateMany({
      where: { episodeId, seq: 1 },
      data: { text: 'Nothing happened.' },
    });
    await tampered.close();
    const out = await verify(episodeId);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`BROKEN episode ${episodeId} at entry 1: its content does not match its hash`);
    expect((await verify('no-such-episode')).code).toBe(2);
  });
});
