// What a seat coordinator needs from Postgres: a screening's layout and durable seat states to
// rebuild from (and the seat map they make), the counts it writes back, and the index of whom to
// ask for GET /api/me/holds.
import { and, eq, gt, lt, or, sql } from 'drizzle-orm';
import {
  createScreeningSeats,
  type ScreeningSeats,
  type SeatSeed,
  type SingleSeatGaps,
  seatOf,
} from '../../domain/seats/index.ts';
import type { SeatMap } from '../../ports/seat-coordinator.ts';
import type { Database } from './client.ts';
import {
  memberHolds,
  payments,
  refunds,
  reservationSeats,
  reservations,
  screeningFence,
  screeningSeatStates,
  screenings,
  seats,
} from './schema.ts';
import { rowsOf } from './statements.ts';

export interface SeatLayout {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  price: number;
}

/** The seat map clients see: the layout, each seat with its status (DISABLED if the state lacks it). */
export function seatMapOf(layout: readonly SeatLayout[], state: ScreeningSeats): SeatMap {
  return {
    screeningId: state.screeningId,
    version: state.version,
    seats: layout.map((seat) => ({
      ...seat,
      // Prices the admin changed since the layout was read reach the coordinator's state (PATCH).
      price: state.prices?.[seat.type] ?? seat.price,
      status: seatOf(state, seat.seatId)?.status ?? 'DISABLED',
    })),
  };
}

export interface ScreeningSeatsRecord {
  screeningId: string;
  salesOpenAt: number;
  singleSeatGaps: SingleSeatGaps;
  prices: Record<string, number>;
  startTime: number;
  version: number;
  layout: SeatLayout[];
  seeds: SeatSeed[];
}

export async function loadScreeningSeats(
  db: Database,
  screeningId: string,
): Promise<ScreeningSeatsRecord | undefined> {
  const [screening] = await db.select().from(screenings).where(eq(screenings.id, screeningId));
  if (!screening) return undefined;
  const [seatRows, adminStates, sold] = await Promise.all([
    db
      .select()
      .from(seats)
      .where(eq(seats.screenId, screening.screenId))
      .orderBy(seats.rowLabel, seats.seatNo),
    db.select().from(screeningSeatStates).where(eq(screeningSeatStates.screeningId, screeningId)),
    db
      .select({
        seatId: reservationSeats.seatId,
        reservationNo: reservations.reservationNo,
        status: reservations.status,
        refundStatus: refunds.status,
      })
      .from(reservationSeats)
      .innerJoin(reservations, eq(reservations.id, reservationSeats.reservationId))
      .leftJoin(refunds, eq(refunds.reservationId, reservations.id))
      .where(and(eq(reservationSeats.screeningId, screeningId), eq(reservationSeats.active, true))),
  ]);
  const adminState = new Map(adminStates.map((row) => [row.seatId, row.status]));
  const soldBy = new Map(sold.map((row) => [row.seatId, row]));
  const seeds: SeatSeed[] = seatRows.map((seat) => {
    const sale = soldBy.get(seat.id);
    if (sale?.status === 'CONFIRMED')
      return { seatId: seat.id, status: 'RESERVED', reservationNo: sale.reservationNo };
    // Cancelled but still holding the seat: its refund has not finished; retry it at once.
    if (sale)
      return {
        seatId: seat.id,
        status: 'RESERVATION_CANCELLED',
        reservationNo: sale.reservationNo,
        refundDueAt: 0,
      };
    const admin = adminState.get(seat.id) ?? (seat.disabled ? 'DISABLED' : undefined);
    return admin ? { seatId: seat.id, status: admin } : { seatId: seat.id, status: 'AVAILABLE' };
  });
  return {
    screeningId,
    salesOpenAt: screening.salesOpenAt.getTime(),
    singleSeatGaps: screening.singleSeatGaps,
    prices: screening.prices,
    startTime: screening.startTime.getTime(),
    version: screening.seatsVersion,
    layout: seatRows.map((seat) => ({
      seatId: seat.id,
      rowLabel: seat.rowLabel,
      seatNo: seat.seatNo,
      type: seat.type,
      price: screening.prices[seat.type] ?? 0,
    })),
    seeds,
  };
}

/** The seat state a cold coordinator starts from: the record's durable states, no holds. */
export function screeningSeatsOf(record: ScreeningSeatsRecord): ScreeningSeats {
  const built = createScreeningSeats({
    screeningId: record.screeningId,
    salesOpenAt: record.salesOpenAt,
    startTime: record.startTime,
    seats: record.seeds,
    version: record.version,
    singleSeatGaps: record.singleSeatGaps,
    prices: record.prices,
    layout: record.layout,
  });
  if (!built.ok) {
    throw new Error(`screening ${record.screeningId} cannot be built: ${JSON.stringify(built.error)}`);
  }
  return built.state;
}

/** Written behind every committed change; a write older than the stored version is dropped. */
export async function recordSeatCounts(
  db: Database,
  screeningId: string,
  available: number,
  version: number,
) {
  await db
    .update(screenings)
    .set({ availableSeats: available, seatsVersion: version })
    .where(and(eq(screenings.id, screeningId), lt(screenings.seatsVersion, version)));
}

/**
 * Records, in one statement, that these members hold seats of these screenings now. The pairs go as
 * two arrays, so the statement's text is the same for any number of them: built without a
 * parameter per value, and a named prepared statement where the handle keeps them (statements.ts).
 */
export async function noteMemberHolds(
  db: Database,
  holders: { screeningId: string; memberId: string }[],
): Promise<void> {
  if (holders.length === 0) return;
  const memberIds = sql.param(holders.map((holder) => holder.memberId));
  const screeningIds = sql.param(holders.map((holder) => holder.screeningId));
  await rowsOf(
    db,
    sql`insert into ${memberHolds} (member_id, screening_id)
        select * from unnest(${memberIds}::uuid[], ${screeningIds}::uuid[])
        on conflict (member_id, screening_id) do update set held_at = now()`,
    'note-member-holds',
  );
}

export async function screeningsHeldSince(db: Database, memberId: string, since: Date): Promise<string[]> {
  const rows = await db
    .select({ screeningId: memberHolds.screeningId })
    .from(memberHolds)
    .where(and(eq(memberHolds.memberId, memberId), gt(memberHolds.heldAt, since)));
  return rows.map((row) => row.screeningId);
}

/** PENDING payments of a screening: the payments in flight a rebuilt coordinator must settle. */
export async function pendingPaymentsOf(db: Database, screeningId: string) {
  return db
    .select({
      holdToken: payments.holdToken,
      memberId: payments.memberId,
      seatIds: payments.seatIds,
      createdAt: payments.createdAt,
      idempotencyKey: payments.idempotencyKey,
    })
    .from(payments)
    .where(and(eq(payments.screeningId, screeningId), eq(payments.status, 'PENDING')));
}

/** The last fencing token a commit of this screening carried (0 if none yet). */
export async function fenceTokenOf(db: Database, screeningId: string): Promise<number> {
  const [row] = await db
    .select({ token: screeningFence.token })
    .from(screeningFence)
    .where(eq(screeningFence.screeningId, screeningId));
  return row?.token ?? 0;
}

/** Screenings with work a coordinator owes them: a payment in flight, or a refund not yet done. */
export async function screeningsWithOpenWork(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ screeningId: payments.screeningId })
    .from(payments)
    .leftJoin(refunds, eq(refunds.paymentId, payments.id))
    .where(or(eq(payments.status, 'PENDING'), eq(refunds.status, 'PENDING')));
  return rows.map((row) => row.screeningId);
}
