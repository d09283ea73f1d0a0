// npm run verify-record -- <exported-record.json | episode-id>
// Re-checks an exported record file, or an episode's record in the bot's database (DATA_DIR or
// DATABASE_URL, as `npm start` reads them), and names the first broken entry. Exit code 0 when the
// record checks out, 1 when it does not, 2 when it could not be checked.
import 'dotenv/config';
import fs from 'node:fs';
import { parseEnv } from '../src/config/env.ts';
import { databaseTarget, openDatabase } from '../src/store/database.ts';
import { prismaStore } from '../src/store/prisma-store.ts';
import { verifyRecordText, verifyStoredEpisode, type RecordCheck } from '../src/reports/verify-record.ts';

function report(what: string, check: RecordCheck): never {
  if (check.ok) {
    console.log(`OK ${what}: ${check.statement}`);
    process.exit(0);
  }
  console.log(`BROKEN ${what}${check.seq === null ? '' : ` at entry ${check.seq}`}: ${check.problem}`);
  console.log(check.statement);
  process.exit(1);
}

const target = process.argv[2] ?? '';
if (!target) {
  console.error('usage: npm run verify-record -- <exported-record.json | episode-id>');
  process.exit(2);
}
if (fs.existsSync(target)) report(target, verifyRecordText(fs.readFileSync(target, 'utf8')));

const env = parseEnv(process.env);
const where = databaseTarget({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), dataDir: env.DATA_DIR });
if (where.provider === 'sqlite' && !fs.existsSync(where.file)) {
  console.error(`"${target}" is not a file, and there is no database at ${where.file} to look the episode up in.`);
  process.exit(2);
}
const database = await openDatabase({
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  dataDir: env.DATA_DIR,
});
const store = prismaStore(database);
try {
  const check = await store.transaction((tx) => verifyStoredEpisode(tx, target));
  if (!check) {
    console.error(`"${target}" is neither a file nor an episode id in the database.`);
    process.exit(2);
  }
  await store.close();
  report(`episode ${target}`, check);
} catch (error) {
  console.error('Could not check the record:', error instanceof Error ? error.message : error);
  process.exit(2);
}
