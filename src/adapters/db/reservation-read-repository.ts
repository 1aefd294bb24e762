// Reservations in the contract's `reservation` shape (API.md, Holds and payment), newest first.
// One read model for the admin list, the caller's own list and the lookup by reservation number.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from './client.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
import {
  members,
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
  return toPage(
    await readPage(db, filter, page),
    page.limit,
    ({ row }) => ({ key: row.createdKey, id: row.id }),
    ({ view }) => view,
  );
}

/** A reservation as the admin reads it: with the member who bought it and that member's login id. */
export interface AdminReservationView extends ReservationView {
  memberId: string;
  buyerLoginId: string;
}

/** The admin list: like listReservations, each with its buyer (one more statement per page). */
export async function listReservationsWithBuyers(
  db: Database,
  filter: Omit<ReservationFilter, 'memberId'>,
  page: PageRequest,
): Promise<Page<AdminReservationView>> {
  const views = await readPage(db, filter, page);
  const memberIds = [...new Set(views.map(({ row }) => row.memberId))];
  const buyers =
    memberIds.length === 0
      ? []
      : await db
          .select({ id: members.id, loginId: members.loginId })
          .from(members)
          .where(inArray(members.id, memberIds));
  const loginIds = new Map(buyers.map((buyer) => [buyer.id, buyer.loginId]));
  return toPage(
    views,
    page.limit,
    ({ row }) => ({ key: row.createdKey, id: row.id }),
    ({ row, view }) => ({ ...view, memberId: row.memberId, buyerLoginId: loginIds.get(row.memberId) ?? '' }),
  );
}

/** One page of rows (and one more, to know there is a next page) with their views. */
async function readPage(db: Database, filter: ReservationFilter, page: PageRequest) {
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
  return withSeats(db, rows);
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
