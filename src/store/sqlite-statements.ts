// Prisma's better-sqlite3 adapter asks the driver to prepare every statement afresh, each time it
// runs, and binds its values to the prepared statement for good (`prepare(sql).bind(args)`), so a
// statement cannot simply be kept. Preparing is a good part of a short query's cost (the SQL is
// parsed and planned again), so here the connection keeps its prepared statements by SQL text and
// hands the adapter a fresh binding of the kept one each time.
import type BetterSqlite3 from 'better-sqlite3';

/** Distinct statements kept per connection; the bot's queries come in a few hundred shapes. */
const KEPT = 1_000;

type Statement = BetterSqlite3.Statement<unknown[], unknown>;
type Values = unknown[];

/** The part of a statement the adapter uses, over a kept statement, with the values given once. */
function boundTo(statement: Statement, values: Values) {
  return {
    reader: statement.reader,
    columns: () => statement.columns(),
    run: () => statement.run(...values),
    raw: () => ({ all: () => statement.raw(true).all(...values) }),
  };
}

/** What the adapter gets from `prepare`: the kept statement, to be bound, or run as it is (BEGIN). */
function reusable(statement: Statement) {
  return {
    reader: statement.reader,
    columns: () => statement.columns(),
    run: (...values: Values) => statement.run(...values),
    bind: (values: Values) => boundTo(statement, values),
  };
}

/** The driver connection inside Prisma's better-sqlite3 adapter, when it is one. */
export function driverOf(adapter: unknown): BetterSqlite3.Database | null {
  const client = (adapter as { client?: unknown } | null)?.client as BetterSqlite3.Database | undefined;
  return client && typeof client.prepare === 'function' && typeof client.exec === 'function' ? client : null;
}

/**
 * Makes a better-sqlite3 connection prepare each distinct statement once (kept up to `kept`,
 * least recently used first out). Counts statements actually prepared through `onPrepared`.
 */
export function prepareOnce(client: BetterSqlite3.Database, onPrepared: () => void = () => {}, kept = KEPT): void {
  const prepare = client.prepare.bind(client) as (sql: string) => Statement;
  const statements = new Map<string, Statement>();
  const keptPrepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
    } else {
      statement = prepare(sql);
      onPrepared();
      if (statements.size >= kept) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return reusable(statement);
  };
  Object.assign(client, { prepare: keptPrepare });
}
