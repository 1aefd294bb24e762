// Applies migrations/ under a Postgres advisory lock, so concurrent starters (two dev runners, test
// workers) never apply them twice. Runs on Node and Deno through the same Neon driver as the app.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import { connect } from '../adapters/db/client.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const LOCK_KEY = 727_372_001; // any constant; the same for every Marquee process

export async function runMigrations(databaseUrl: string, proxy?: string): Promise<void> {
  const { pool } = connect(databaseUrl, proxy, 1);
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
    await pool.end();
  }
}
