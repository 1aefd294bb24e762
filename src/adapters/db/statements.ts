// Raw statements: their rows, and which database handles run the hot ones as named prepared
// statements (parsed and planned once per connection, then sent by name with their values). Only
// node-postgres connections to a real Postgres do, unless PREPARED_STATEMENTS=0 (a pooler that
// hands a client's statements to other sessions): each is a session of its own that keeps what it
// prepared. Not the Neon driver (a Worker opens a connection per request, and pooled sessions are
// reset between drivers, so nothing would be reused), and not the embedded PGlite, whose one session
// every connection shares (a second connection preparing the same name would be refused).
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

const dialect = new PgDialect();
const preparing = new WeakSet<object>();

/** Marks a handle whose connections each keep their own prepared statements. */
export function prepareStatements<T extends object>(db: T): T {
  preparing.add(db);
  return db;
}

/**
 * The rows of a raw statement (node-postgres and the Neon driver both answer `{ rows }`). `name`
 * makes it a named prepared statement on a handle that prepares them (one name, one text): the
 * payment's step 4 spent longer being planned than being run.
 */
export async function rowsOf<T>(
  db: Pick<Database, 'execute' | '_'>,
  query: SQL,
  name?: string,
): Promise<T[]> {
  if (name === undefined || !preparing.has(db)) {
    return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  }
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  return ((await prepared.execute()) as { rows: T[] }).rows;
}
