import { readFileSync } from 'node:fs';
// The constraints that hold even when application code is wrong, exercised with direct SQL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseConnection } from '../../src/adapters/db/client.ts';
import { classifyPgError } from '../../src/adapters/db/pg-errors.ts';
import { members, movies, reservationSeats, reservations, screenings } from '../../src/adapters/db/schema.ts';
import { insertScreenWithSeats, insertTheater } from '../../src/adapters/db/theater-repository.ts';
import { runMigrations } from '../../src/local/migrate.ts';
import { testDatabase } from '../support/db.ts';

let conn: DatabaseConnection;
let screenId: string;
let seatIds: string[];
let movieId: string;
let memberId: string;
const suffix = Math.random().toString(36).slice(2, 8);

async function pgCodeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return classifyPgError(error)?.code;
  }
}

beforeAll(async () => {
  conn = testDatabase();
  const theater = await insertTheater(conn.db, `Constraint Hall ${suffix}`);
  const screen = await insertScreenWithSeats(conn.db, theater.id, 'Screen 1', [
    { label: 'A', seats: 3, type: 'STANDARD' },
  ]);
  screenId = screen.id;
  const rows = await conn.pool.query<{ id: string }>(
    'select id from seats where screen_id = $1 order by seat_no',
    [screenId],
  );
  seatIds = rows.rows.map((row) => row.id);
  const [movie] = await conn.db
    .insert(movies)
    .values({ title: `Constraint ${suffix}`, runtimeMinutes: 100, rating: 'ALL', status: 'SHOWING' })
    .returning();
  movieId = movie?.id ?? '';
  const [member] = await conn.db
    .insert(members)
    .values({ loginId: `c_${suffix}`, passwordHash: 'x' })
    .returning();
  memberId = member?.id ?? '';
});

afterAll(async () => {
  await conn.close();
});

const at = (iso: string) => new Date(iso);
const screening = (start: string, end: string) => ({
  movieId,
  screenId,
  startTime: at(start),
  endTime: at(end),
  salesOpenAt: at('2030-01-01T00:00:00Z'),
  prices: { STANDARD: 12000 },
});

describe('migrations', () => {
  it('applied every table and btree_gist, and applying them again concurrently changes nothing', async () => {
    const tables = await conn.pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining([
        'members',
        'refresh_tokens',
        'movies',
        'theaters',
        'screens',
        'seats',
        'screenings',
        'screening_seat_states',
        'reservations',
        'reservation_seats',
        'payments',
        'refunds',
        'idempotency_records',
        'gateway_ledger',
      ]),
    );
    const extension = await conn.pool.query(`select 1 from pg_extension where extname = 'btree_gist'`);
    expect(extension.rows).toHaveLength(1);
    await Promise.all([runMigrations(inject('databaseUrl')), runMigrations(inject('databaseUrl'))]);
    const applied = await conn.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    const journal = JSON.parse(
      readFileSync(new URL('../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
    );
    expect(applied.rows[0]).toEqual({ n: journal.entries.length });
  });
});

describe('screenings on one screen never overlap', () => {
  it('refuses an overlapping screening inserted directly (23P01) and accepts back-to-back ones', async () => {
    await conn.db.insert(screenings).values(screening('2030-02-01T10:00:00Z', '2030-02-01T12:00:00Z'));
    const code = await pgCodeOf(
      conn.db.insert(screenings).values(screening('2030-02-01T11:59:00Z', '2030-02-01T13:00:00Z')),
    );
    expect(code).toBe('23P01');
    expect(classifyPgError({ code: '23P01' })?.kind).toBe('conflict');
    await conn.db.insert(screenings).values(screening('2030-02-01T12:00:00Z', '2030-02-01T13:00:00Z'));
  });
});

describe('at most one active reservation per (screening, seat)', () => {
  it('refuses a second active reservation of a seat, and allows it once the first is inactive', async () => {
    const [show] = await conn.db
      .insert(screenings)
      .values(screening('2030-03-01T10:00:00Z', '2030-03-01T12:00:00Z'))
      .returning();
    const screeningId = show?.id ?? '';
    const reserve = async (no: string) => {
      const [reservation] = await conn.db
        .insert(reservations)
        .values({ reservationNo: no, memberId, screeningId, holdToken: no, totalAmount: 12000, seatCount: 1 })
        .returning();
      return reservation?.id ?? '';
    };
    const first = await reserve(`R1-${suffix}`);
    const second = await reserve(`R2-${suffix}`);
    const seatId = seatIds[0] ?? '';
    await conn.db
      .insert(reservationSeats)
      .values({ reservationId: first, screeningId, seatId, price: 12000 });
    const code = await pgCodeOf(
      conn.db.insert(reservationSeats).values({ reservationId: second, screeningId, seatId, price: 12000 }),
    );
    expect(code).toBe('23505');
    await conn.pool.query('update reservation_seats set active = false where reservation_id = $1', [first]);
    await conn.db
      .insert(reservationSeats)
      .values({ reservationId: second, screeningId, seatId, price: 12000 });
  });

  it('refuses rows that point at nothing (foreign keys) and malformed ids', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const fk = await pgCodeOf(
      conn.db
        .insert(reservationSeats)
        .values({ reservationId: missing, screeningId: missing, seatId: missing, price: 1 }),
    );
    expect(fk).toBe('23503');
    const malformed = await pgCodeOf(
      conn.db.execute(sql`select * from seats where id = ${'not-a-uuid'}::uuid`),
    );
    expect(malformed).toBe('22P02');
    expect(classifyPgError({ code: '22P02' })?.kind).toBe('bad-input');
  });
});
