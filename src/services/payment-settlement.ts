// Settling payments from the records, never by blind release: the request path's step 6, and what
// the coordinator does when a PAYMENT_PENDING deadline passes (ARCHITECTURE.md's table).
import type { Database } from '../adapters/db/client.ts';
import {
  findPaymentOfHold,
  finishIdempotencyKey,
  finishKeyWithoutPayment,
  type PaymentRow,
  type PricedPayment,
  pricedSeatsOf,
  settlePaymentRow,
} from '../adapters/db/payment-repository.ts';
import { findReservationByHold } from '../adapters/db/reservation-read-repository.ts';
import {
  type CommitResult,
  commitPayments,
  type NewReservation,
  type PaymentResponse,
} from '../adapters/db/reservation-repository.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { reservationNumber } from '../domain/reservation-number.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';
import {
  type CommitBatch,
  type DueWork,
  type SeatCoordinator,
  SeatsNotHeld,
} from '../ports/seat-coordinator.ts';

/** Who fences the commit: the screening's coordinator, if it has more than one writer (commitFenced). */
export type Fencing = Pick<SeatCoordinator, 'commitFenced'>;

/**
 * A refusal as the API answers it (the HTTP layer's problem document, status included), stored with
 * the idempotency key so a retry replays it. Services pick the code; the edge decides the rest.
 */
export type ProblemOf = (code: ErrorCode, detail: string) => { status: number };

export type Reserved =
  | { ok: true; response: PaymentResponse }
  | { ok: false; response: { status: number; body: unknown } };

/** One batch function per database, so commits waiting on the same lease can go together. */
const batches = new WeakMap<Database, CommitBatch<NewReservation, CommitResult>>();

function batchOf(db: Database): CommitBatch<NewReservation, CommitResult> {
  let batch = batches.get(db);
  if (!batch) {
    batch = (fenceToken, items) => commitPayments(db, items[0]?.screeningId ?? '', items, fenceToken);
    batches.set(db, batch);
  }
  return batch;
}

/**
 * Commits an approved charge as a reservation (step 6, one statement; under the screening's lease
 * where it has one, together with the payments waiting on it). If the seats cannot be kept (the
 * unique index found one sold, the payment was settled as failed meanwhile, or the coordinator no
 * longer has the hold in payment) the charge is refunded. A failed commit (Postgres down, a stale
 * fence) propagates: the payment stays PENDING and its settlement finishes it.
 */
export async function approveAndReserve(
  db: Database,
  gateway: PaymentGateway,
  { payment, seats, screening }: PricedPayment,
  fencing: Fencing,
  problem: ProblemOf,
): Promise<Reserved> {
  const reservation: NewReservation = {
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
    screening,
  };
  let result: CommitResult;
  try {
    result = fencing.commitFenced
      ? await fencing.commitFenced(payment.screeningId, payment.holdToken, reservation, batchOf(db))
      : ((await commitPayments(db, payment.screeningId, [reservation]))[0] ?? { outcome: 'settled' });
  } catch (error) {
    if (!(error instanceof SeatsNotHeld)) throw error;
    result = { outcome: 'seat-taken' };
  }
  if (result.outcome === 'committed') return { ok: true, response: result.response };
  // Settled meanwhile by the other path (the request and the deadline both got here): if that
  // was an approval, the reservation stands and nothing may be refunded.
  const committed = await committedResponse(db, payment);
  if (committed) return { ok: true, response: committed };
  if (await gateway.refund(payment.id, payment.amount)) {
    await settlePaymentRow(db, payment.id, 'REFUNDED', 'PENDING');
  }
  const body = problem('SEAT_NOT_AVAILABLE', 'the seats could not be kept; the charge was refunded');
  await finishIdempotencyKey(db, payment.memberId, payment.idempotencyKey, body.status, body);
  return { ok: false, response: { status: body.status, body } };
}

/** The 201 answer of a payment whose reservation is committed, or undefined. */
async function committedResponse(db: Database, payment: PaymentRow): Promise<PaymentResponse | undefined> {
  const [current, reservation] = await Promise.all([
    findPaymentOfHold(db, payment.holdToken),
    findReservationByHold(db, payment.holdToken),
  ]);
  if (current?.id !== payment.id || current.status !== 'APPROVED' || !reservation) return undefined;
  return {
    reservation: reservation.view,
    payment: { id: payment.id, status: 'APPROVED', amount: payment.amount, method: payment.method },
  };
}

export type Settlement = { outcome: 'RESERVED'; reservationNo: string } | { outcome: 'FAILED' };

/** A PAYMENT_PENDING deadline passed: decide from the payment record and the gateway. Idempotent. */
export async function settleDuePayment(
  db: Database,
  gateway: PaymentGateway,
  due: DueWork['payments'][number],
  fencing: Fencing,
  problem: ProblemOf,
): Promise<Settlement> {
  let payment = await findPaymentOfHold(db, due.holdToken);
  if (!payment && due.memberId !== undefined && due.paymentKey !== undefined) {
    // The request died before step 4 (nothing was charged): its key gets the final answer, so a
    // retry with it replays that instead of finding no hold. Unless the row was written meanwhile.
    const body = problem('PAYMENT_GATEWAY_ERROR', 'the payment did not complete; nothing was charged');
    if (await finishKeyWithoutPayment(db, due.memberId, due.paymentKey, body.status, body))
      return { outcome: 'FAILED' };
    payment = await findPaymentOfHold(db, due.holdToken);
  }
  if (!payment) return { outcome: 'FAILED' }; // the request died before step 4: nothing was charged
  if (payment.status === 'APPROVED') {
    const reservation = await findReservationByHold(db, due.holdToken);
    if (reservation) return { outcome: 'RESERVED', reservationNo: reservation.view.reservationNo };
  }
  if (payment.status !== 'PENDING') return { outcome: 'FAILED' };
  const charged = await gateway.lookup(payment.id);
  if (charged === 'APPROVED') {
    const priced = await pricedSeatsOf(db, payment.screeningId, payment.seatIds);
    const reserved = await approveAndReserve(db, gateway, { payment, ...priced }, fencing, problem);
    if (reserved.ok)
      return { outcome: 'RESERVED', reservationNo: reserved.response.reservation.reservationNo };
    return { outcome: 'FAILED' };
  }
  const declined = charged === 'DECLINED';
  if (await settlePaymentRow(db, payment.id, declined ? 'DECLINED' : 'FAILED')) {
    const body = declined
      ? problem('PAYMENT_DECLINED', 'the card was declined; nothing was charged')
      : problem('PAYMENT_GATEWAY_ERROR', 'the payment did not complete; nothing was charged');
    await finishIdempotencyKey(db, payment.memberId, payment.idempotencyKey, body.status, body);
  }
  return { outcome: 'FAILED' };
}
