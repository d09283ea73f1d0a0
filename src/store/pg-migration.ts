// The PostgreSQL side of migrating (src/store/schema-engine.ts): an adapter factory the schema
// engine can introspect and make shadow databases with. Its own module, loaded only when the bot
// runs on PostgreSQL, so the embedded SQLite default never loads the PostgreSQL driver.
import { randomUUID } from 'node:crypto';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

/**
 * A PostgreSQL adapter factory the schema engine can work with. Plain `new PrismaPg(...)` is fine
 * for the app and for applying migrations, but @prisma/adapter-pg 7.10 has two gaps that only the
 * engine's diff hits: it rejects the catalog's internal "char" columns (pg_constraint.contype…)
 * that schema introspection reads, and given a connection string its shadow database silently
 * points at the main database (the URL's database name wins over the shadow's).
 */
export function postgresMigrationFactory(connectionString: string): SqlMigrationAwareDriverAdapterFactory {
  const connectTo = (url: string) => new PrismaPg(introspectablePool(url), { disposeExternalPool: true }).connect();
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(connectionString),
    connectToShadowDb: async () => {
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      await runOnce(connectionString, `CREATE DATABASE "${name}"`);
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      const adapter = await connectTo(url.href);
      const disposePool = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await disposePool();
        await runOnce(connectionString, `DROP DATABASE IF EXISTS "${name}"`);
      };
      return adapter;
    },
  };
}

/** A pool that reports the catalog's one-byte "char" type (oid 18) as text, which the adapter accepts. */
function introspectablePool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString });
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  // The adapter only ever calls query(config) and awaits the promise.
  pool.query = (async (config: pg.QueryConfig) => {
    const result = await query(config);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === pg.types.builtins.CHAR) field.dataTypeID = pg.types.builtins.TEXT;
    }
    return result;
  }) as typeof pool.query;
  return pool;
}

async function runOnce(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
