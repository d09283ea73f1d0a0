// npm run package:teams — the Teams app package to upload (Teams admin centre or "Upload a custom
// app"): manifest/teams/manifest.json with this deployment's ids filled in, plus the two icons,
// zipped into dist/teams-app.zip (or --out <file>).
//   BOT_ID         required: the bot's Entra app id (the same BOT_ID the bot runs with)
//   TEAMS_APP_ID   optional: the Teams app's own id (default: BOT_ID)
//   BOT_DOMAIN     optional: the bot's public host name, listed in validDomains
import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { Buffer } from 'node:buffer';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'manifest', 'teams');
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message) {
  console.error(`package:teams: ${message}`);
  process.exit(1);
}

const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1] ?? '') : path.join(root, 'dist', 'teams-app.zip');
const botId = process.env.BOT_ID?.trim();
const appId = process.env.TEAMS_APP_ID?.trim() || botId;
const domain = process.env.BOT_DOMAIN?.trim();
if (!botId || !guid.test(botId)) fail('set BOT_ID to the bot’s Entra app id (a GUID)');
if (!guid.test(appId)) fail('TEAMS_APP_ID must be a GUID');

const manifest = JSON.parse(fs.readFileSync(path.join(source, 'manifest.json'), 'utf8'));
manifest.id = appId;
for (const bot of manifest.bots) bot.botId = botId;
manifest.webApplicationInfo = { id: botId, resource: `api://botid-${botId}` };
if (domain) manifest.validDomains = [domain];

// Teams refuses icons of the wrong size: check the PNG headers before packaging.
const icons = { color: 192, outline: 32 };
const files = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
for (const [kind, size] of Object.entries(icons)) {
  const name = manifest.icons[kind];
  const data = fs.readFileSync(path.join(source, name));
  if (data.readUInt32BE(16) !== size || data.readUInt32BE(20) !== size) fail(`${name} must be ${size}×${size}`);
  files.push({ name, data });
}

// The schema check runs offline: @microsoft/app-manifest ships the schemas.
const { default: appManifest } = await import('@microsoft/app-manifest');
const problems = await appManifest.AppManifestUtils.validateAgainstSchema(manifest);
if (problems.length > 0) fail(`manifest.json does not match its schema:\n  ${problems.join('\n  ')}`);

fs.mkdirSync(path.dirname(out), { recursive: true });
// fflate's zip, with a fixed timestamp (a local date, so the DOS time fields are the same in every
// time zone): the same input always gives the same bytes.
const fixed = { level: 9, mtime: new Date(1980, 0, 1) };
fs.writeFileSync(out, zipSync(Object.fromEntries(files.map((f) => [f.name, [new Uint8Array(f.data), fixed]]))));
console.log(`package:teams: wrote ${path.relative(process.cwd(), out)} (app ${appId}, bot ${botId})`);
