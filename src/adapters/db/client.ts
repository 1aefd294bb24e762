// Opens Postgres through the Neon serverless driver (WebSocket Pool, so interactive transactions
// work), on Workers, Node and Deno alike, over the runtime's own WebSocket (a send after its close is
// dropped, not thrown). Locally the WebSocket goes through the project's relay.
import { neonConfig, Pool, type PoolClient } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * What repositories are typed against, so another runtime may hand them another driver. Without the
 * relational schema: nothing uses `db.query`, and drizzle works the schema's relations out again on
 * every construction, which on Workers is every request that opens Postgres.
 */
export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseConnection {
  db: Database;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Points the driver at a relay instead of Neon's proxy. The driver's config is global, and one
 * process talks to one database, so setting it again with the same value is harmless.
 */
export function useWebSocketProxy(proxy: string | undefined): void {
  if (!proxy) return;
  neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/**
 * The runtime's WebSocket, except that a send once it is closing or closed is dropped. The driver
 * sends its coalesced writes from a timer (neonConfig.coalesceWrites); when the proxy closes a new
 * socket before that timer runs (it does at once when it will not or cannot reach that Postgres),
 * workerd throws from send() after the close, uncaught, where browsers and Node drop the data. The
 * driver learns of the close from the socket's own close event and fails the query either way.
 */
export function droppingSendsOnceClosed(Base: typeof WebSocket): typeof WebSocket {
  return class extends Base {
    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (this.readyState === Base.CLOSING || this.readyState === Base.CLOSED) return;
      super.send(data);
    }
  };
}

export function connect(
  databaseUrl: string,
  proxy?: string,
  max = 5,
  idleTimeoutMillis = 10_000,
): DatabaseConnection {
  useWebSocketProxy(proxy);
  if (typeof WebSocket === 'function') neonConfig.webSocketConstructor ??= droppingSendsOnceClosed(WebSocket);
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client that loses its socket emits on the pool; the next query reports it instead.
  pool.on('error', () => {});
  // A client that loses it while checked out (inside a transaction, between two of its queries, as
  // when Postgres restarts) emits on itself, and an 'error' nobody listens to ends the process.
  // Its next query fails instead, and the pool drops the client when it is released.
  pool.on('connect', (client: PoolClient) => client.on('error', () => {}));
  const db = drizzle({ client: pool }) as unknown as Database;
  return { db, pool, close: () => pool.end() };
}
