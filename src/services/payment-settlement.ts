// Settling payments from the records, never by blind release: the request path's step 6, and what
// the coordinator does when a PAYMENT_PENDING deadline passes (ARCHITECTURE.md's table).
import type { Database } from '../adapters/db/client.ts';
import {
  findPaymentOfHold,
  finishIdempotencyKey,
  type PaymentRow,
  priceSeats,
  settlePaymentRow,
} from '../adapters/db/payment-repository.ts';
import { pgErrorOf } from '../adapters/db/pg-errors.ts';
import { findReservationByHold } from '../adapters/db/reservation-read-repository.ts';
import {
  commitReservation,
  PaymentAlreadySettled,
  type PaymentResponse,
} from '../adapters/db/reservation-repository.ts';
import { reservationNumber } from '../domain/reservation-number.ts';
import { problemBody } from '../http/problem.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';

type Priced = { seatId: string; price: number }[];

/** SeatCoordinator['runFenced'], or no fence at all for a single owner such as the actor. */
export type Fencing = <T>(
  screeningId: string,
  commit: (fenceToken: number | null) => Promise<T>,
) => Promise<T>;
const unfenced: Fencing = (_screeningId, commit) => commit(null);

export type Reserved =
  | { ok: true; response: PaymentResponse }
  | { ok: false; response: { status: number; body: unknown } };

/**
 * Commits an approved charge as a reservation. If the seats cannot be kept (the unique index
 * found one sold, or the payment was settled as failed meanwhile) the charge is refunded.
 */
export async function approveAndReserve(
  db: Database,
  gateway: PaymentGateway,
  payment: PaymentRow,
  seats: Priced,
  runFenced: Fencing = unfenced,
): Promise<Reserved> {
  try {
    const reservation = {
      reservationNo: reservationNumber(new Date(), Math.random),
      memberId: payment.memberId,
      screeningId: payment.screeningId,
      holdToken: payment.holdToken,
      payment: {
        id: payment.id,
        amount: payment.amount,
        method: payment.method,
        idempotencyKey: payment.idempotencyKey,
      },
      seats,
    };
    const response = await runFenced(payment.screeningId, (fenceToken) =>
      commitReservation(db, reservation, fenceToken),
    );
    return { ok: true, response };
  } catch (error) {
    const soldTwice = pgErrorOf(error)?.code === '23505';
    // A stale fence (FenceRejected) is no verdict on the seats: it propagates, the payment stays
    // PENDING, and the coordinator that owns the screening now settles it.
    if (!soldTwice && !(error instanceof PaymentAlreadySettled)) throw error;
    if (await gateway.refund(payment.id, payment.amount)) {
      await settlePaymentRow(db, payment.id, 'REFUNDED', 'PENDING');
    }
    const body = problemBody('SEAT_NOT_AVAILABLE', 'the seats could not be kept; the charge was refunded');
    await finishIdempotencyKey(db, payment.memberId, payment.idempotencyKey, body.status, body);
    return { ok: false, response: { status: body.status, body } };
  }
}

export type Settlement = { outcome: 'RESERVED'; reservationNo: string } | { outcome: 'FAILED' };

/** A PAYMENT_PENDING deadline passed: decide from the payment record and the gateway. Idempotent. */
export async function settleDuePayment(
  db: Database,
  gateway: PaymentGateway,
  holdToken: string,
  runFenced: Fencing = unfenced,
): Promise<Settlement> {
  const payment = await findPaymentOfHold(db, holdToken);
  if (!payment) return { outcome: 'FAILED' }; // the request died before step 4: nothing was charged
  if (payment.status === 'APPROVED') {
    const reservation = await findReservationByHold(db, holdToken);
    if (reservation) return { outcome: 'RESERVED', reservationNo: reservation.view.reservationNo };
  }
  if (payment.status !== 'PENDING') return { outcome: 'FAILED' };
  const charged = await gateway.lookup(payment.id);
  if (charged === 'APPROVED') {
    const seats = await priceSeats(db, payment.screeningId, payment.seatIds);
    const reserved = await approveAndReserve(db, gateway, payment, seats, runFenced);
    if (reserved.ok)
      return { outcome: 'RESERVED', reservationNo: reserved.response.reservation.reservationNo };
    return { outcome: 'FAILED' };
  }
  const declined = charged === 'DECLINED';
  if (await settlePaymentRow(db, payment.id, declined ? 'DECLINED' : 'FAILED')) {
    const body = declined
      ? problemBody('PAYMENT_DECLINED', 'the card was declined; nothing was charged')
      : problemBody('PAYMENT_GATEWAY_ERROR', 'the payment did not complete; nothing was charged');
    await finishIdempotencyKey(db, payment.memberId, payment.idempotencyKey, body.status, body);
  }
  return { outcome: 'FAILED' };
}
