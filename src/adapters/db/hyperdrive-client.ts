// Postgres through a Cloudflare Hyperdrive binding, for the Worker: node-postgres over workerd's
// TCP sockets (pg-cloudflare, under nodejs_compat). Hyperdrive keeps the pooled connections to the
// database next to it and does their TLS, so a Worker opens a cheap client per request, as
// Hyperdrive's documentation does it.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as pgCloudflare from 'pg-cloudflare';
import type { Database, DatabaseConnection } from './client.ts';

/**
 * The socket is handed to node-postgres here rather than found by it: its own lookup `require`s
 * pg-cloudflare, which only a bundler resolving for workerd (wrangler) gets right, not the test pool.
 * The package's types describe its Node build (an empty module), hence the cast.
 */
const { CloudflareSocket } = pgCloudflare as unknown as {
  CloudflareSocket: new (ssl: boolean) => ReturnType<NonNullable<pg.ClientConfig['stream']>>;
};

export function connectHyperdrive(
  connectionString: string,
  max = 1,
  idleTimeoutMillis = 10_000,
): Pick<DatabaseConnection, 'db' | 'close'> {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis,
    connectionTimeoutMillis: 10_000,
    stream: () => new CloudflareSocket(false),
  });
  // A lost connection fails its next query instead of ending the isolate (see tcp-client.ts).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool }) as unknown as Database;
  return { db, close: () => pool.end() };
}
