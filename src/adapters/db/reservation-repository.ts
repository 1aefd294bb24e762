// Step 6 of a payment: approved payments turned into reservations by one statement, the
// commit_payments function (migrations/0009_payment_commit.sql), for one payment or a batch of one
// screening's. The answer each payment gets is built here from what the request has in hand.
import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { PricedSeat, ScreeningInfo } from './payment-repository.ts';
import type { ReservationView } from './reservation-read-repository.ts';
import { rowsOf } from './statements.ts';

export interface NewReservation {
  reservationNo: string;
  memberId: string;
  screeningId: string;
  holdToken: string;
  payment: { id: string; amount: number; method: string; idempotencyKey: string };
  seats: PricedSeat[];
  screening: ScreeningInfo;
}

export interface PaymentResponse {
  reservation: ReservationView;
  payment: { id: string; status: 'APPROVED'; amount: number; method: string };
}

/**
 * committed: the reservation stands and `response` is stored under the key. seat-taken: a unique
 * index refused it (a seat sold already). settled: the payment was no longer PENDING. Neither of the
 * last two wrote anything.
 */
export type CommitResult =
  | { outcome: 'committed'; response: PaymentResponse }
  | { outcome: 'seat-taken' | 'settled' };

/** The commit ran under a fencing token older than the screening's: another process took over. */
export class FenceRejected extends Error {
  override name = 'FenceRejected';
}

/** The 201 answer of a payment, as GET /api/reservations/{no} will show it. */
export function paymentResponse(reservation: NewReservation, createdAt: Date): PaymentResponse {
  const seats = reservation.seats.map(({ seatId, rowLabel, seatNo, type, price }) => ({
    seatId,
    rowLabel,
    seatNo,
    type,
    price,
  }));
  return {
    reservation: {
      reservationNo: reservation.reservationNo,
      status: 'CONFIRMED',
      screeningId: reservation.screeningId,
      seatIds: seats.map((seat) => seat.seatId),
      seats,
      ...reservation.screening,
      totalAmount: seats.reduce((sum, seat) => sum + seat.price, 0),
      createdAt: createdAt.toISOString(),
    },
    payment: {
      id: reservation.payment.id,
      status: 'APPROVED',
      amount: reservation.payment.amount,
      method: reservation.payment.method,
    },
  };
}

/**
 * Commits approved payments of one screening in one statement (one transaction, a savepoint each):
 * the reservation and its seats, the payment APPROVED (only if still PENDING: a settlement may have
 * failed it meanwhile) and the stored 201 response. With a fencing token, it is checked first and a
 * stale one commits nothing (FenceRejected). The unique index over active reservation seats refuses
 * a seat sold twice, whatever called this.
 */
export async function commitPayments(
  db: Database,
  screeningId: string,
  reservations: readonly NewReservation[],
  fenceToken: number | null = null,
): Promise<CommitResult[]> {
  const createdAt = new Date();
  const responses = reservations.map((reservation) => paymentResponse(reservation, createdAt));
  const items = reservations.map((reservation, index) => ({
    paymentId: reservation.payment.id,
    reservationNo: reservation.reservationNo,
    memberId: reservation.memberId,
    holdToken: reservation.holdToken,
    idempotencyKey: reservation.payment.idempotencyKey,
    totalAmount: responses[index]?.reservation.totalAmount,
    createdAt: createdAt.toISOString(),
    seats: reservation.seats.map(({ seatId, price }) => ({ seatId, price })),
    response: responses[index],
  }));
  const rows = await rowsOf<{ out_payment_id: string; out_outcome: string }>(
    db,
    sql`select out_payment_id, out_outcome
        from commit_payments(${screeningId}::uuid, ${fenceToken}::bigint, ${JSON.stringify(items)}::jsonb)`,
    'commit-payments',
  );
  if (rows.some((row) => row.out_outcome === 'stale-fence'))
    throw new FenceRejected(`fencing token ${fenceToken} is stale`);
  return reservations.map((reservation, index): CommitResult => {
    // One row per item, in the items' order (the function answers them one by one).
    const row = rows[index];
    const outcome = row?.out_payment_id === reservation.payment.id ? row.out_outcome : undefined;
    if (outcome === 'committed') return { outcome, response: responses[index] as PaymentResponse };
    if (outcome === 'seat-taken' || outcome === 'settled') return { outcome };
    throw new Error(`commit_payments answered ${outcome} for payment ${reservation.payment.id}`);
  });
}
