// Generates the Prisma client twice from prisma/schema.prisma: once for SQLite (the schema as
// written) and once for PostgreSQL (the same models, provider and output swapped). Offline-safe:
// `prisma generate` never runs the schema engine, but the CLI insists one exists, so we point it
// at a harmless executable instead of letting it download the native binary.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
const pgDir = path.join(root, 'prisma/generated');
fs.mkdirSync(pgDir, { recursive: true });
const pgSchemaPath = path.join(pgDir, 'schema.postgresql.prisma');
fs.writeFileSync(pgSchemaPath, postgresVariant(source));

const prismaBin = path.join(root, 'node_modules/.bin/prisma');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const schema of [path.join(root, 'prisma/schema.prisma'), pgSchemaPath]) {
  execFileSync(prismaBin, ['generate', '--schema', schema], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The PostgreSQL variant of the schema: same models, other provider and output folder. */
function postgresVariant(text) {
  const out = text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../src/store/generated/sqlite"', 'output       = "../../src/store/generated/postgresql"');
  if (out === text || !out.includes('generated/postgresql'))
    throw new Error('prisma-generate: could not derive the PostgreSQL schema');
  return out;
}
