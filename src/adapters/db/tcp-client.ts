// Opens Postgres over plain TCP with node-postgres, for the Node-side tools that must reach a hosted
// database directly (migrations, the admin command): TLS whenever the URL asks for it, always with
// the server's certificate checked, and one session per client so an advisory lock holds.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database } from './client.ts';
import * as schema from './schema.ts';

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

export function connectTcp(databaseUrl: string, max = 2): TcpConnection {
  const pool = new pg.Pool({
    connectionString: tcpConnectionString(databaseUrl),
    max,
    connectionTimeoutMillis: 10_000,
    // SCRAM with channel binding when the server offers it over TLS (libpq's default, and Neon's).
    enableChannelBinding: true,
  });
  pool.on('error', () => {});
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  return { db, pool, close: () => pool.end() };
}
