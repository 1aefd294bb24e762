// Applies migrations/ under a Postgres advisory lock, so concurrent starters (two processes, test
// workers) never apply them twice. It talks TCP (node-postgres, TLS when the URL asks for it): the
// lock needs one session, so against Neon give it the direct connection string, not the pooled one.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { connectTcp } from '../adapters/db/tcp-client.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const LOCK_KEY = 727_372_001; // any constant; the same for every Marquee process

export async function runMigrations(databaseUrl: string): Promise<void> {
  const { pool, close } = connectTcp(databaseUrl, 1);
  try {
    const client = await pool.connect();
    try {
      const db = drizzle({ client });
      await db.execute(sql`select pg_advisory_lock(${LOCK_KEY})`);
      try {
        await migrate(db, { migrationsFolder: MIGRATIONS });
      } finally {
        await db.execute(sql`select pg_advisory_unlock(${LOCK_KEY})`);
      }
    } finally {
      client.release();
    }
  } finally {
    await close();
  }
}
