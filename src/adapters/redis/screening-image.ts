// A screening's seat state as Postgres knows it, in the Redis coordinator's layout: the durable
// states (RESERVED, BLOCKED, DISABLED, cancellations awaiting their refund), and the payments in
// flight put back as PAYMENT_PENDING. A cold or emptied Redis is rebuilt from this image.
import {
  resumePayments,
  type ScreeningSeats,
  type SeatEntry,
  type SeatState,
} from '../../domain/seats/index.ts';
import type { Database } from '../db/client.ts';
import {
  fenceTokenOf,
  loadScreeningSeats,
  pendingPaymentsOf,
  type SeatLayout,
  screeningSeatsOf,
} from '../db/seat-repository.ts';

export interface ScreeningImage {
  layout: SeatLayout[];
  state: ScreeningSeats;
  /** The last fencing token Postgres accepted for this screening. */
  fence: number;
}

export async function loadScreeningImage(
  db: Database,
  screeningId: string,
  paymentTimeoutMs: number,
): Promise<ScreeningImage | undefined> {
  const [record, pending, fence] = await Promise.all([
    loadScreeningSeats(db, screeningId),
    pendingPaymentsOf(db, screeningId),
    fenceTokenOf(db, screeningId),
  ]);
  if (!record) return undefined;
  const state = resumePayments(
    screeningSeatsOf(record),
    pending.map((payment) => ({
      holdToken: payment.holdToken,
      memberId: payment.memberId,
      seatIds: payment.seatIds,
      deadline: payment.createdAt.getTime() + paymentTimeoutMs,
    })),
  );
  return { layout: record.layout, state, fence };
}

/** A seat entry as the script stores it (see seat-script.ts). */
export function encodeEntry(entry: SeatEntry): string {
  switch (entry.status) {
    case 'HOLD':
    case 'PAYMENT_PENDING':
      return `${entry.status}:${entry.holdToken}`;
    case 'RESERVED':
      return `RESERVED:${entry.reservationNo}`;
    case 'RESERVATION_CANCELLED':
      return `RESERVATION_CANCELLED:${entry.reservationNo}:${entry.refundDueAt ?? ''}`;
    default:
      return entry.status;
  }
}

export const statusOfEntry = (encoded: string): SeatState => encoded.split(':', 1)[0] as SeatState;

/** The `init` command's argument: everything the script writes for a cold screening. */
export function initPayload(image: ScreeningImage): string {
  const { state } = image;
  const seats: Record<string, string> = {};
  const reservations = new Map<string, string[]>();
  const refunds: Record<string, number> = {};
  let available = 0;
  for (const [seatId, entry] of Object.entries(state.seats)) {
    seats[seatId] = encodeEntry(entry);
    if (entry.status === 'AVAILABLE') available += 1;
    if (entry.status === 'RESERVED' || entry.status === 'RESERVATION_CANCELLED') {
      reservations.set(entry.reservationNo, [...(reservations.get(entry.reservationNo) ?? []), seatId]);
    }
    if (entry.status === 'RESERVATION_CANCELLED' && entry.refundDueAt !== null) {
      refunds[entry.reservationNo] = Math.min(refunds[entry.reservationNo] ?? Infinity, entry.refundDueAt);
    }
  }
  const holds = Object.fromEntries(
    Object.entries(state.holds).map(([token, hold]) => [
      token,
      { m: hold.memberId, s: hold.seatIds, p: hold.phase, e: hold.expiresAt },
    ]),
  );
  return JSON.stringify({
    version: state.version,
    salesOpenAt: state.salesOpenAt,
    startTime: state.startTime,
    available,
    fence: image.fence,
    seats,
    holds,
    res: Object.fromEntries([...reservations].map(([no, ids]) => [no, ids.join(',')])),
    refunds,
  });
}
