import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import appManifest from '@microsoft/app-manifest';
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/engine/commands/command-text.ts';
// @ts-expect-error -- a plain .mjs script without types
import { colorIcon, outlineIcon } from '../../scripts/teams-icons.mjs';
import { tempDir } from '../support/temp.ts';

const dir = path.resolve('manifest/teams');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const BOT_ID = '5b2f0c1e-8d4a-4e6b-9a7c-3f1d2e4b6a80';

// The schema check must not reach the network: the validator ships the schemas.
beforeAll(() => nock.disableNetConnect());

/** The entries of a zip archive, inflated, each checked against its CRC. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const [crc, packed, nameLength] = [
      archive.readUInt32LE(at + 16),
      archive.readUInt32LE(at + 20),
      archive.readUInt16LE(at + 28),
    ];
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = archive.readUInt32LE(at + 42);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = zlib.inflateRawSync(archive.subarray(start, start + packed));
    expect(zlib.crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return files;
}

describe('the Teams app manifest', () => {
  it('matches the schema it names (offline)', async () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(await appManifest.AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
  });

  it('declares the bot for channels and personal chats, with the commands the shared grammar understands', () => {
    const [bot] = manifest.bots;
    expect(bot.scopes).toEqual(['team', 'personal']);
    const titles: string[] = bot.commandLists.flatMap((l: { commands: { title: string }[] }) =>
      l.commands.map((c) => c.title),
    );
    expect(titles).toEqual([
      'missing',
      'missing list',
      'missing status',
      'missing returned',
      'missing handover',
      'missing help',
    ]);
    for (const title of titles) {
      const word = title.replace(/^missing ?/, '');
      expect(parseCommandText(`${word} AJ`).kind).toBe(word || 'open');
    }
  });

  it('asks for the consent to read every channel message, so the thread is recorded without @mentions', () => {
    expect(manifest.authorization.permissions.resourceSpecific).toContainEqual({
      name: 'ChannelMessage.Read.Group',
      type: 'Application',
    });
  });

  it('ships the icons the script draws: colour 192×192, outline 32×32', () => {
    const color = fs.readFileSync(path.join(dir, manifest.icons.color));
    const outline = fs.readFileSync(path.join(dir, manifest.icons.outline));
    expect([color.readUInt32BE(16), color.readUInt32BE(20)]).toEqual([192, 192]);
    expect([outline.readUInt32BE(16), outline.readUInt32BE(20)]).toEqual([32, 32]);
    expect(color.equals(colorIcon())).toBe(true);
    expect(outline.equals(outlineIcon())).toBe(true);
  });
});

describe('npm run package:teams', () => {
  it('zips the manifest, with this deployment’s ids, and the icons into an app package', () => {
    const out = path.join(tempDir('teams-package-'), 'app.zip');
    execFileSync(process.execPath, ['scripts/package-teams.mjs', '--out', out], {
      env: { ...process.env, BOT_ID, BOT_DOMAIN: 'bot.oakhouse.example' },
      stdio: 'pipe',
    });
    const files = unzip(fs.readFileSync(out));
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const packaged = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(packaged).toMatchObject({
      id: BOT_ID,
      bots: [{ botId: BOT_ID }],
      webApplicationInfo: { id: BOT_ID, resource: `api://botid-${BOT_ID}` },
      validDomains: ['bot.oakhouse.example'],
    });
    expect(files.get('color.png')!.equals(fs.readFileSync(path.join(dir, 'color.png')))).toBe(true);

    // Reproducible: the same input gives the same bytes, whatever the machine's time zone.
    const again = path.join(path.dirname(out), 'again.zip');
    execFileSync(process.execPath, ['scripts/package-teams.mjs', '--out', again], {
      env: { ...process.env, BOT_ID, BOT_DOMAIN: 'bot.oakhouse.example', TZ: 'Pacific/Auckland' },
      stdio: 'pipe',
    });
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true);
  });

  it('refuses to build a package without the bot’s id', () => {
    const run = spawnSync(
      process.execPath,
      ['scripts/package-teams.mjs', '--out', path.join(os.tmpdir(), 'never.zip')],
      {
        env: { ...process.env, BOT_ID: '' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('set BOT_ID');
  });
});
