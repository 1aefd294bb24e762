// The database connection when Postgres drops it: a client that loses its socket while checked
// out (inside a transaction, between two queries) must fail its next query, not end the process
// (an unhandled 'error' would be an uncaught exception, which fails this run), and the pool must
// go on with a new connection.
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/db.ts';

const conn = testDatabase(2);
const admin = testDatabase(1);
afterAll(async () => {
  await conn.close();
  await admin.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a connection Postgres drops', () => {
  it('fails the transaction that held it, and the pool goes on', async () => {
    const outcome = await conn.db
      .transaction(async (tx) => {
        const { rows } = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
          rows: { pid: number }[];
        };
        await admin.pool.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        // The socket closes while this client is checked out and idle between two queries.
        await sleep(500);
        await tx.execute(sql`select 1`);
        return 'committed';
      })
      .catch((error: unknown) => `failed: ${String(error)}`);
    expect(outcome).toMatch(/^failed: /);
    const { rows } = await conn.pool.query<{ one: number }>('select 1 as one');
    expect(rows[0]?.one).toBe(1);
  });
});
