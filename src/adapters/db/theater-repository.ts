// Theaters, screens and their seats. A screen is created from row layouts in one transaction, so a
// screen never exists with half of its seats.
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { type SEAT_TYPES, screens, seats, theaters } from './schema.ts';

export type SeatType = (typeof SEAT_TYPES)[number];
export interface RowLayout {
  label: string;
  seats: number;
  type: SeatType;
}

export async function insertTheater(db: Database, name: string) {
  const [theater] = await db.insert(theaters).values({ name }).returning();
  if (!theater) throw new Error('insert returned no row');
  return theater;
}

export async function insertScreenWithSeats(
  db: Database,
  theaterId: string,
  name: string,
  rows: RowLayout[],
) {
  return db.transaction(async (tx) => {
    const [screen] = await tx.insert(screens).values({ theaterId, name }).returning();
    if (!screen) throw new Error('insert returned no row');
    const values = rows.flatMap((row) =>
      Array.from({ length: row.seats }, (_, index) => ({
        screenId: screen.id,
        rowLabel: row.label,
        seatNo: index + 1,
        type: row.type,
      })),
    );
    await tx.insert(seats).values(values);
    return { ...screen, seatCount: values.length };
  });
}

export async function seatCount(db: Database, screenId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(seats)
    .where(eq(seats.screenId, screenId));
  return row?.count ?? 0;
}

export async function listTheatersWithScreens(db: Database) {
  const rows = await db
    .select({
      theaterId: theaters.id,
      theaterName: theaters.name,
      screenId: screens.id,
      screenName: screens.name,
      seatCount: sql<number>`(select count(*)::int from ${seats} where ${seats.screenId} = ${screens.id})`,
    })
    .from(theaters)
    .leftJoin(screens, eq(screens.theaterId, theaters.id))
    .orderBy(asc(theaters.name), asc(screens.name));
  const byTheater = new Map<
    string,
    { id: string; name: string; screens: { id: string; name: string; seatCount: number }[] }
  >();
  for (const row of rows) {
    const theater = byTheater.get(row.theaterId) ?? { id: row.theaterId, name: row.theaterName, screens: [] };
    byTheater.set(row.theaterId, theater);
    if (row.screenId && row.screenName)
      theater.screens.push({ id: row.screenId, name: row.screenName, seatCount: row.seatCount });
  }
  return [...byTheater.values()];
}
