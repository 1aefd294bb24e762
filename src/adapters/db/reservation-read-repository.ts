// Reservations in the contract's `reservation` shape (API.md, Holds and payment), newest first.
// One read model for the admin list, the caller's own list and the lookup by reservation number.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from './client.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
import {
  movies,
  type RESERVATION_STATUSES,
  reservationSeats,
  reservations,
  screenings,
  screens,
  seats,
  theaters,
} from './schema.ts';

export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationSeatView {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  price: number;
}

export interface ReservationView {
  reservationNo: string;
  status: ReservationStatus;
  screeningId: string;
  seatIds: string[];
  seats: ReservationSeatView[];
  movieTitle: string;
  theaterName: string;
  screenName: string;
  startTime: string;
  totalAmount: number;
  createdAt: string;
}

export interface ReservationFilter {
  memberId?: string;
  screeningId?: string;
  status?: ReservationStatus;
}

/** Newest first; `memberId` narrows it to one member's own reservations. */
export async function listReservations(
  db: Database,
  filter: ReservationFilter,
  page: PageRequest,
): Promise<Page<ReservationView>> {
  const rows = await selectReservations(
    db,
    and(
      filter.memberId ? eq(reservations.memberId, filter.memberId) : undefined,
      filter.screeningId ? eq(reservations.screeningId, filter.screeningId) : undefined,
      filter.status ? eq(reservations.status, filter.status) : undefined,
      afterCursor(reservations.createdAt, reservations.id, page.cursor, 'timestamptz', 'desc'),
    ),
    page.limit + 1,
  );
  const views = await withSeats(db, rows);
  return toPage(
    views,
    page.limit,
    ({ row }) => ({ key: row.createdKey, id: row.id }),
    ({ view }) => view,
  );
}

/** A reservation with what the use cases need beside its view: its id, owner and start time. */
export interface ReservationRecord {
  id: string;
  memberId: string;
  startTime: Date;
  view: ReservationView;
}

/** One reservation (the caller decides who may see it). */
export const findReservationByNo = (db: Database, reservationNo: string) =>
  findOne(db, eq(reservations.reservationNo, reservationNo));

export const findReservationByHold = (db: Database, holdToken: string) =>
  findOne(db, eq(reservations.holdToken, holdToken));

export const findReservationById = (db: Database, id: string) => findOne(db, eq(reservations.id, id));

async function findOne(db: Database, where: SQL): Promise<ReservationRecord | undefined> {
  const [found] = await withSeats(db, await selectReservations(db, where, 1));
  return (
    found && {
      id: found.row.id,
      memberId: found.row.memberId,
      startTime: found.row.startTime,
      view: found.view,
    }
  );
}

function selectReservations(db: Database, where: SQL | undefined, limit: number) {
  return db
    .select({
      id: reservations.id,
      memberId: reservations.memberId,
      reservationNo: reservations.reservationNo,
      status: reservations.status,
      screeningId: reservations.screeningId,
      totalAmount: reservations.totalAmount,
      createdAt: reservations.createdAt,
      createdKey: timestampKey(reservations.createdAt),
      movieTitle: movies.title,
      theaterName: theaters.name,
      screenName: screens.name,
      startTime: screenings.startTime,
    })
    .from(reservations)
    .innerJoin(screenings, eq(screenings.id, reservations.screeningId))
    .innerJoin(movies, eq(movies.id, screenings.movieId))
    .innerJoin(screens, eq(screens.id, screenings.screenId))
    .innerJoin(theaters, eq(theaters.id, screens.theaterId))
    .where(where)
    .orderBy(desc(reservations.createdAt), desc(reservations.id))
    .limit(limit);
}

type ReservationRow = Awaited<ReturnType<typeof selectReservations>>[number];

/** One query for the seats of every reservation on the page, refunded ones included. */
async function withSeats(db: Database, rows: ReservationRow[]) {
  const ids = rows.map((row) => row.id);
  const seatRows =
    ids.length === 0
      ? []
      : await db
          .select({
            reservationId: reservationSeats.reservationId,
            seatId: seats.id,
            rowLabel: seats.rowLabel,
            seatNo: seats.seatNo,
            type: seats.type,
            price: reservationSeats.price,
          })
          .from(reservationSeats)
          .innerJoin(seats, eq(seats.id, reservationSeats.seatId))
          .where(inArray(reservationSeats.reservationId, ids))
          .orderBy(asc(seats.rowLabel), asc(seats.seatNo));
  return rows.map((row) => {
    const own = seatRows
      .filter((seat) => seat.reservationId === row.id)
      .map(({ seatId, rowLabel, seatNo, type, price }) => ({ seatId, rowLabel, seatNo, type, price }));
    const view: ReservationView = {
      reservationNo: row.reservationNo,
      status: row.status,
      screeningId: row.screeningId,
      seatIds: own.map((seat) => seat.seatId),
      seats: own,
      movieTitle: row.movieTitle,
      theaterName: row.theaterName,
      screenName: row.screenName,
      startTime: row.startTime.toISOString(),
      totalAmount: row.totalAmount,
      createdAt: row.createdAt.toISOString(),
    };
    return { row, view };
  });
}
