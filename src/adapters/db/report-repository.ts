// Sales figures for the admin reports, aggregated in Postgres. Money is counted when it moves:
// approvals by approval time (a reservation is inserted in the very transaction that approves its
// payment, reservation-repository.ts, so its created_at, total_amount and seat_count are the
// approval's time, amount and seats), refunds by the time they went through. Days are calendar days
// in the given time zone. The builders are returned unawaited so bench/reports.ts can explain them.
import { and, count, desc, eq, gte, isNotNull, lt, notExists, sql } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import type { SEAT_TYPES } from './schema.ts';
import {
  movies,
  refunds,
  reservationSeats,
  reservations,
  screeningSeatStates,
  screenings,
  seats,
} from './schema.ts';

/** [start, end) of the days `from`..`to` (inclusive, YYYY-MM-DD) in `timeZone`, computed by Postgres. */
export interface DayRange {
  from: string;
  to: string;
  timeZone: string;
}

const start = (range: DayRange) => sql`(${range.from}::date)::timestamp at time zone ${range.timeZone}`;
const end = (range: DayRange) => sql`(${range.to}::date + 1)::timestamp at time zone ${range.timeZone}`;
const within = (column: typeof reservations.createdAt | typeof refunds.completedAt, range: DayRange) =>
  and(gte(column, start(range)), lt(column, end(range)));
const dayOf = (column: typeof reservations.createdAt | typeof refunds.completedAt, timeZone: string) =>
  sql<string>`to_char(${column} at time zone ${timeZone}, 'YYYY-MM-DD')`;
/** The day column: grouping by the expression again would bind the time zone as a second, different parameter. */
const firstColumn = sql`1`;
/** Sums of int columns are bigint, which the driver hands over as strings. */
const total = (value: ReturnType<typeof sql>) => sql`coalesce(sum(${value}), 0)`.mapWith(Number);

/** Approved reservations per day: their money, how many, how many seats. Days without any are absent. */
export function salesByDay(db: Database, range: DayRange) {
  return db
    .select({
      date: dayOf(reservations.createdAt, range.timeZone),
      revenue: total(sql`${reservations.totalAmount}`),
      reservations: count(),
      seatsSold: total(sql`${reservations.seatCount}`),
    })
    .from(reservations)
    .where(within(reservations.createdAt, range))
    .groupBy(firstColumn);
}

/** Refunds that went through, per day of their completion. Days without any are absent. */
export async function refundsByDay(
  db: Database,
  range: DayRange,
): Promise<{ date: string; refunds: number }[]> {
  return db
    .select({ date: dayOf(refunds.completedAt, range.timeZone), refunds: total(sql`${refunds.amount}`) })
    .from(refunds)
    .where(and(eq(refunds.status, 'REFUNDED'), within(refunds.completedAt, range)))
    .groupBy(firstColumn);
}

export async function cancellationsIn(db: Database, range: DayRange): Promise<number> {
  const [row] = await db
    .select({ cancellations: count() })
    .from(reservations)
    .where(
      and(
        isNotNull(reservations.cancelledAt),
        gte(reservations.cancelledAt, start(range)),
        lt(reservations.cancelledAt, end(range)),
      ),
    );
  return row?.cancellations ?? 0;
}

/**
 * Seats sold and seats on sale over the screenings starting in the range. Sold: a reservation holds
 * the seat (until its refund frees it). On sale: the screen's seats but those BLOCKED or DISABLED in
 * that screening (a state row, or a seat out of order, as the seat map starts them) and not sold.
 */
export async function occupancyOf(db: Database, range: DayRange): Promise<{ sold: number; onSale: number }> {
  const { sold, all, unsold } = occupancyQueries(db, range);
  const [[sales], [seatsOf], [off]] = await Promise.all([sold, all, unsold]);
  return { sold: sales?.seats ?? 0, onSale: (seatsOf?.seats ?? 0) - (off?.seats ?? 0) };
}

/** Seats sold, seats in all, and seats off sale and unsold, over the screenings starting in the range. */
export function occupancyQueries(db: Database, range: DayRange) {
  const shown = and(gte(screenings.startTime, start(range)), lt(screenings.startTime, end(range)));
  const sold = db
    .select({ seats: count() })
    .from(reservationSeats)
    .innerJoin(screenings, eq(screenings.id, reservationSeats.screeningId))
    .where(and(eq(reservationSeats.active, true), shown));
  const perScreen = db
    .select({ screenId: seats.screenId, seats: count().as('seats') })
    .from(seats)
    .groupBy(seats.screenId)
    .as('per_screen');
  const all = db
    .select({ seats: total(sql`${perScreen.seats}`) })
    .from(screenings)
    .innerJoin(perScreen, eq(perScreen.screenId, screenings.screenId))
    .where(shown);
  const offSale = union(
    db
      .select({ screeningId: screeningSeatStates.screeningId, seatId: screeningSeatStates.seatId })
      .from(screeningSeatStates)
      .innerJoin(screenings, eq(screenings.id, screeningSeatStates.screeningId))
      .where(shown),
    db
      .select({ screeningId: screenings.id, seatId: seats.id })
      .from(screenings)
      .innerJoin(seats, and(eq(seats.screenId, screenings.screenId), eq(seats.disabled, true)))
      .where(shown),
  ).as('off_sale');
  const unsold = db
    .select({ seats: count() })
    .from(offSale)
    .where(
      notExists(
        db
          .select({ one: sql`1` })
          .from(reservationSeats)
          .where(
            and(
              eq(reservationSeats.screeningId, offSale.screeningId),
              eq(reservationSeats.seatId, offSale.seatId),
              eq(reservationSeats.active, true),
            ),
          ),
      ),
    );
  return { sold, all, unsold };
}

export interface MovieSales {
  movieId: string;
  title: string;
  revenue: number;
  seatsSold: number;
}

/** Movies by the money approved for their screenings in the range, highest first. */
export function topMovies(db: Database, range: DayRange, limit: number) {
  const revenue = total(sql`${reservations.totalAmount}`);
  const seatsSold = total(sql`${reservations.seatCount}`);
  return db
    .select({ movieId: movies.id, title: movies.title, revenue, seatsSold })
    .from(reservations)
    .innerJoin(screenings, eq(screenings.id, reservations.screeningId))
    .innerJoin(movies, eq(movies.id, screenings.movieId))
    .where(within(reservations.createdAt, range))
    .groupBy(movies.id, movies.title)
    .orderBy(desc(revenue), desc(seatsSold), movies.title, movies.id)
    .limit(limit);
}

export interface TypeSales {
  type: (typeof SEAT_TYPES)[number];
  total: number;
  sold: number;
  revenue: number;
}

/** One screening's seats per type: how many, how many sold now, and the prices of those sold. */
export async function screeningSalesByType(db: Database, screeningId: string): Promise<TypeSales[]> {
  return db
    .select({
      type: seats.type,
      total: count(),
      sold: count(reservationSeats.seatId),
      revenue: total(sql`${reservationSeats.price}`),
    })
    .from(screenings)
    .innerJoin(seats, eq(seats.screenId, screenings.screenId))
    .leftJoin(
      reservationSeats,
      and(
        eq(reservationSeats.screeningId, screenings.id),
        eq(reservationSeats.seatId, seats.id),
        eq(reservationSeats.active, true),
      ),
    )
    .where(eq(screenings.id, screeningId))
    .groupBy(seats.type);
}
