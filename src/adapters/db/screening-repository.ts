// Screenings of the catalog: the public list (by start time), one screening with its movie, screen
// and theater, and the admin list and writes. availableSeats is the column the seat coordinator
// keeps, so a list never asks a coordinator per screening.
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { Movie } from './movie-repository.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
import { movies, reservations, screenings, screens, theaters } from './schema.ts';

export type Prices = Record<string, number>;
export type WaitingRoom = { admitPerMinute: number; opensBeforeMinutes: number } | null;

export interface ScreeningSummary {
  id: string;
  movieId: string;
  screenId: string;
  theaterId: string;
  startTime: string;
  endTime: string;
  salesOpenAt: string;
  availableSeats: number;
}

export type SingleSeatGaps = 'ALLOW' | 'PREVENT';

export interface AdminScreening extends ScreeningSummary {
  prices: Prices;
  waitingRoom: WaitingRoom;
  singleSeatGaps: SingleSeatGaps;
  createdAt: string;
}

export interface ScreeningDetail {
  id: string;
  movie: Movie;
  screen: { id: string; name: string };
  theater: { id: string; name: string };
  startTime: string;
  endTime: string;
  salesOpenAt: string;
  prices: Prices;
  singleSeatGaps: SingleSeatGaps;
  availableSeats: number;
  waitingRoom: WaitingRoom;
}

const columns = {
  id: screenings.id,
  movieId: screenings.movieId,
  screenId: screenings.screenId,
  theaterId: screens.theaterId,
  startTime: screenings.startTime,
  endTime: screenings.endTime,
  salesOpenAt: screenings.salesOpenAt,
  availableSeats: screenings.availableSeats,
  prices: screenings.prices,
  waitingRoom: screenings.waitingRoom,
  singleSeatGaps: screenings.singleSeatGaps,
  createdAt: screenings.createdAt,
};

type Row = {
  id: string;
  movieId: string;
  screenId: string;
  theaterId: string;
  startTime: Date;
  endTime: Date;
  salesOpenAt: Date;
  availableSeats: number;
  prices: Prices;
  waitingRoom: WaitingRoom;
  singleSeatGaps: SingleSeatGaps;
  createdAt: Date;
};

const summary = (row: Row): ScreeningSummary => ({
  id: row.id,
  movieId: row.movieId,
  screenId: row.screenId,
  theaterId: row.theaterId,
  startTime: row.startTime.toISOString(),
  endTime: row.endTime.toISOString(),
  salesOpenAt: row.salesOpenAt.toISOString(),
  availableSeats: row.availableSeats,
});

const adminView = (row: Row): AdminScreening => ({
  ...summary(row),
  prices: row.prices,
  waitingRoom: row.waitingRoom ?? null,
  singleSeatGaps: row.singleSeatGaps,
  createdAt: row.createdAt.toISOString(),
});

export interface ScreeningFilter {
  movieId?: string;
  theaterId?: string;
  screenId?: string;
  /** Start time in [startsFrom, startsBefore). */
  startsFrom?: Date;
  startsBefore?: Date;
}

const filterBy = (filter: ScreeningFilter) => [
  filter.movieId ? eq(screenings.movieId, filter.movieId) : undefined,
  filter.theaterId ? eq(screens.theaterId, filter.theaterId) : undefined,
  filter.screenId ? eq(screenings.screenId, filter.screenId) : undefined,
  filter.startsFrom ? gte(screenings.startTime, filter.startsFrom) : undefined,
  filter.startsBefore ? lt(screenings.startTime, filter.startsBefore) : undefined,
];

/** The public list: by start time, then id. */
export async function listScreeningsByStart(
  db: Database,
  filter: ScreeningFilter,
  page: PageRequest,
): Promise<Page<ScreeningSummary>> {
  const rows = await db
    .select({ ...columns, startKey: timestampKey(screenings.startTime) })
    .from(screenings)
    .innerJoin(screens, eq(screens.id, screenings.screenId))
    .where(
      and(
        ...filterBy(filter),
        afterCursor(screenings.startTime, screenings.id, page.cursor, 'timestamptz', 'asc'),
      ),
    )
    .orderBy(asc(screenings.startTime), asc(screenings.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => ({ key: row.startKey, id: row.id }), summary);
}

/** The admin list: newest first. */
export async function listScreeningsNewestFirst(
  db: Database,
  filter: ScreeningFilter,
  page: PageRequest,
): Promise<Page<AdminScreening>> {
  const rows = await db
    .select({ ...columns, createdKey: timestampKey(screenings.createdAt) })
    .from(screenings)
    .innerJoin(screens, eq(screens.id, screenings.screenId))
    .where(
      and(
        ...filterBy(filter),
        afterCursor(screenings.createdAt, screenings.id, page.cursor, 'timestamptz', 'desc'),
      ),
    )
    .orderBy(desc(screenings.createdAt), desc(screenings.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => ({ key: row.createdKey, id: row.id }), adminView);
}

export async function findAdminScreening(db: Database, id: string): Promise<AdminScreening | undefined> {
  const [row] = await db
    .select(columns)
    .from(screenings)
    .innerJoin(screens, eq(screens.id, screenings.screenId))
    .where(eq(screenings.id, id));
  return row ? adminView(row) : undefined;
}

export async function findScreeningDetail(db: Database, id: string): Promise<ScreeningDetail | undefined> {
  const [row] = await db
    .select({
      screening: screenings,
      movie: {
        id: movies.id,
        title: movies.title,
        runtimeMinutes: movies.runtimeMinutes,
        rating: movies.rating,
        status: movies.status,
        posterUrl: movies.posterUrl,
      },
      screen: { id: screens.id, name: screens.name },
      theater: { id: theaters.id, name: theaters.name },
    })
    .from(screenings)
    .innerJoin(movies, eq(movies.id, screenings.movieId))
    .innerJoin(screens, eq(screens.id, screenings.screenId))
    .innerJoin(theaters, eq(theaters.id, screens.theaterId))
    .where(eq(screenings.id, id));
  if (!row) return undefined;
  const { screening } = row;
  return {
    id: screening.id,
    movie: row.movie,
    screen: row.screen,
    theater: row.theater,
    startTime: screening.startTime.toISOString(),
    endTime: screening.endTime.toISOString(),
    salesOpenAt: screening.salesOpenAt.toISOString(),
    prices: screening.prices,
    singleSeatGaps: screening.singleSeatGaps,
    availableSeats: screening.availableSeats,
    waitingRoom: screening.waitingRoom ?? null,
  };
}

export interface NewScreening {
  movieId: string;
  screenId: string;
  theaterId: string;
  startTime: Date;
  endTime: Date;
  salesOpenAt: Date;
  prices: Prices;
  singleSeatGaps?: SingleSeatGaps;
  availableSeats: number;
  waitingRoom?: WaitingRoom;
}

/** The exclusion constraint screenings_no_overlap refuses an overlap on the screen (23P01). */
export async function insertScreening(db: Database, screening: NewScreening): Promise<AdminScreening> {
  const { theaterId, ...values } = screening;
  const [row] = await db.insert(screenings).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return adminView({ ...row, theaterId });
}

export interface ScreeningChange {
  salesOpenAt?: Date;
  prices?: Prices;
  singleSeatGaps?: SingleSeatGaps;
}

/** Changes what is given; undefined when there is no such screening. The checks refuse salesOpenAt after the start. */
export async function updateScreening(
  db: Database,
  id: string,
  change: ScreeningChange,
): Promise<AdminScreening | undefined> {
  if (Object.keys(change).length > 0) {
    const [row] = await db
      .update(screenings)
      .set(change)
      .where(eq(screenings.id, id))
      .returning({ id: screenings.id });
    if (!row) return undefined;
  }
  return findAdminScreening(db, id);
}

/** False when there was no such screening. */
export async function deleteScreening(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(screenings).where(eq(screenings.id, id)).returning({ id: screenings.id });
  return deleted.length === 1;
}

/** Any reservation at all, cancelled ones too: they are the record of money that moved. */
export async function screeningHasReservations(db: Database, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: reservations.id })
    .from(reservations)
    .where(eq(reservations.screeningId, id))
    .limit(1);
  return Boolean(row);
}
