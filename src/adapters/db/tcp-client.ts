// Opens Postgres over TCP with node-postgres: the runtime's database on Node and Deno (no relay, no
// per-write delay of the Neon driver's coalesced writes), and the tools that must reach a hosted
// database directly (migrations, the admin command). TLS whenever the URL asks for it, always with
// the server's certificate checked, and one session per client so an advisory lock holds.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database } from './client.ts';
import { prepareStatements } from './statements.ts';

export interface TcpConnection {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Any sslmode that asks for TLS (require, verify-ca, verify-full) gets TLS with the certificate
 * verified against Node's public CAs, or `sslrootcert` when the URL names one: Neon's certificates
 * are publicly trusted, and a private server names its CA. `sslmode=disable` or none: plain TCP.
 */
export function tcpConnectionString(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const mode = url.searchParams.get('sslmode');
  if (mode && mode !== 'disable') url.searchParams.set('sslmode', 'verify-full');
  return url.toString();
}

export interface TcpOptions {
  idleTimeoutMillis?: number;
  /**
   * Run the hot statements as named prepared statements (statements.ts): only where every
   * connection is a Postgres session of its own (not the embedded PGlite, whose one session all share).
   */
  prepare?: boolean;
}

export function connectTcp(databaseUrl: string, max = 2, options: TcpOptions = {}): TcpConnection {
  const pool = new pg.Pool({
    connectionString: tcpConnectionString(databaseUrl),
    max,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
    connectionTimeoutMillis: 10_000,
    // SCRAM with channel binding when the server offers it over TLS (libpq's default, and Neon's).
    enableChannelBinding: true,
  });
  // An idle client that loses its socket emits on the pool; one checked out (as when Postgres
  // restarts mid-transaction) emits on itself, and an 'error' nobody listens to ends the process.
  // Its next query fails instead, and the pool drops it when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool }) as unknown as Database;
  if (options.prepare) prepareStatements(db);
  return { db, pool, close: () => pool.end() };
}
