// Theaters, screens and their seats. A screen is created from row layouts in one transaction, so a
// screen never exists with half of its seats.
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
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

export interface ScreenSummary {
  id: string;
  name: string;
  seatCount: number;
}

export interface TheaterView {
  id: string;
  name: string;
  screens: ScreenSummary[];
}

/** The public list: by name, then id; each theater with its screens by name. */
export async function listTheatersByName(db: Database, page: PageRequest): Promise<Page<TheaterView>> {
  const rows = await db
    .select({ id: theaters.id, name: theaters.name })
    .from(theaters)
    .where(afterCursor(theaters.name, theaters.id, page.cursor, 'text', 'asc'))
    .orderBy(asc(theaters.name), asc(theaters.id))
    .limit(page.limit + 1);
  return withScreens(
    db,
    toPage(
      rows,
      page.limit,
      (row) => ({ key: row.name, id: row.id }),
      (row) => row,
    ),
  );
}

/** The admin list: newest first. */
export async function listTheatersNewestFirst(db: Database, page: PageRequest): Promise<Page<TheaterView>> {
  const rows = await db
    .select({ id: theaters.id, name: theaters.name, createdKey: timestampKey(theaters.createdAt) })
    .from(theaters)
    .where(afterCursor(theaters.createdAt, theaters.id, page.cursor, 'timestamptz', 'desc'))
    .orderBy(desc(theaters.createdAt), desc(theaters.id))
    .limit(page.limit + 1);
  return withScreens(
    db,
    toPage(
      rows,
      page.limit,
      (row) => ({ key: row.createdKey, id: row.id }),
      ({ id, name }) => ({ id, name }),
    ),
  );
}

/** One query for the screens of a whole page of theaters. */
async function withScreens(
  db: Database,
  page: Page<{ id: string; name: string }>,
): Promise<Page<TheaterView>> {
  const ids = page.items.map((theater) => theater.id);
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({
            theaterId: screens.theaterId,
            id: screens.id,
            name: screens.name,
            seatCount: sql<number>`count(${seats.id})::int`,
          })
          .from(screens)
          .leftJoin(seats, eq(seats.screenId, screens.id))
          .where(inArray(screens.theaterId, ids))
          .groupBy(screens.id)
          .orderBy(asc(screens.name), asc(screens.id));
  const items = page.items.map((theater) => ({
    id: theater.id,
    name: theater.name,
    screens: rows
      .filter((row) => row.theaterId === theater.id)
      .map(({ id, name, seatCount }) => ({ id, name, seatCount })),
  }));
  return { items, nextCursor: page.nextCursor };
}

export async function findTheater(db: Database, id: string) {
  const [theater] = await db
    .select({ id: theaters.id, name: theaters.name })
    .from(theaters)
    .where(eq(theaters.id, id));
  return theater;
}

export async function seatsOfScreen(db: Database, screenId: string) {
  return db
    .select({ seatId: seats.id, rowLabel: seats.rowLabel, seatNo: seats.seatNo, type: seats.type })
    .from(seats)
    .where(eq(seats.screenId, screenId))
    .orderBy(asc(seats.rowLabel), asc(seats.seatNo));
}

/** What scheduling a screening needs to know of a screen: its theater, seat types and sellable seats. */
export async function screenForScheduling(db: Database, screenId: string) {
  const [screen] = await db
    .select({ id: screens.id, theaterId: screens.theaterId })
    .from(screens)
    .where(eq(screens.id, screenId));
  if (!screen) return undefined;
  const types = await db
    .select({
      type: seats.type,
      sellable: sql<number>`(count(*) filter (where not ${seats.disabled}))::int`,
    })
    .from(seats)
    .where(eq(seats.screenId, screenId))
    .groupBy(seats.type);
  return {
    ...screen,
    seatTypes: types.map((row) => row.type),
    // A seat out of order starts DISABLED in every new screening, so it is not available.
    availableSeats: types.reduce((sum, row) => sum + row.sellable, 0),
  };
}
