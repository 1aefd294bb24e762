// Catalog rows made directly in Postgres for seat and payment tests, on any runtime: a theater, a
// screen with `seats` STANDARD seats in rows of ten, a movie and one screening with its own window.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/adapters/db/client.ts';
import { members, movies, screenings, seats as seatTable } from '../../src/adapters/db/schema.ts';
import { insertScreenWithSeats, insertTheater } from '../../src/adapters/db/theater-repository.ts';

export interface ScreeningOptions {
  seats?: number;
  salesOpenAt?: Date;
  startTime?: Date;
  price?: number;
}

export interface ScreeningFixture {
  screeningId: string;
  screenId: string;
  seatIds: string[];
  startTime: Date;
}

let made = 0;

export async function insertScreening(
  db: Database,
  options: ScreeningOptions = {},
): Promise<ScreeningFixture> {
  const count = options.seats ?? 20;
  const startTime = options.startTime ?? new Date(Date.now() + 7 * 86_400_000);
  const salesOpenAt = options.salesOpenAt ?? new Date(Date.now() - 3_600_000);
  const tag = `${Date.now().toString(36)}-${(made++).toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  const theater = await insertTheater(db, `Fixture ${tag}`);
  const rows = Array.from({ length: Math.ceil(count / 10) }, (_, index) => ({
    label: String.fromCharCode(65 + index),
    seats: Math.min(10, count - index * 10),
    type: 'STANDARD' as const,
  }));
  const screen = await insertScreenWithSeats(db, theater.id, 'Screen', rows);
  const [movie] = await db
    .insert(movies)
    .values({ title: `Fixture ${tag}`, runtimeMinutes: 120, rating: 'ALL', status: 'SHOWING' })
    .returning();
  const [screening] = await db
    .insert(screenings)
    .values({
      movieId: movie!.id,
      screenId: screen.id,
      startTime,
      endTime: new Date(startTime.getTime() + 120 * 60_000),
      salesOpenAt,
      prices: { STANDARD: options.price ?? 12000 },
      availableSeats: count,
    })
    .returning();
  const seatRows = await db
    .select({ id: seatTable.id })
    .from(seatTable)
    .where(eq(seatTable.screenId, screen.id))
    .orderBy(asc(seatTable.rowLabel), asc(seatTable.seatNo));
  return {
    screeningId: screening!.id,
    screenId: screen.id,
    seatIds: seatRows.map((seat) => seat.id),
    startTime,
  };
}

/** Members with an unusable password, for tests that need many of them quickly. */
export async function insertMembers(db: Database, count: number) {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e5)}`;
  return db
    .insert(members)
    .values(
      Array.from({ length: count }, (_, index) => ({
        loginId: `f${tag}_${index}`,
        passwordHash: 'unusable',
      })),
    )
    .returning();
}
