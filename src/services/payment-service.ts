// POST /api/payments in exactly the order of ARCHITECTURE.md "Payment, step by step". Money and
// seats stay in step: the payment row exists before the gateway is called, approval and the
// reservation commit together, and a request that dies is settled later from these records.
import type { Database } from '../adapters/db/client.ts';
import {
  claimIdempotencyKey,
  findPaymentOfHold,
  finishIdempotencyKey,
  openPayment,
  releaseIdempotencyKey,
  settlePaymentRow,
  storedAnswer,
} from '../adapters/db/payment-repository.ts';
import type { PaymentResponse } from '../adapters/db/reservation-repository.ts';
import { AppError } from '../domain/errors.ts';
import type { PaymentGateway, PaymentMethod } from '../ports/payment-gateway.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import type { Faults } from './faults.ts';
import { approveAndReserve, type ProblemOf } from './payment-settlement.ts';
import { unwrap } from './seat-results.ts';

export interface PaymentRequest {
  holdToken: string;
  screeningId: string;
  method: PaymentMethod;
  cardNumber?: string;
}

export interface PaymentDeps {
  db: () => Database;
  seats: SeatCoordinator;
  gateway: PaymentGateway;
  faults: Faults;
  problem: ProblemOf;
  /** SHA-256 in hex, where the runtime has a synchronous one (node:crypto on Node and Deno); else WebCrypto's. */
  sha256?: (text: string) => string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Long enough for a slow gateway; a request still running after it is presumed dead. */
const LEASE_MS = 30_000;

export async function pay(
  deps: PaymentDeps,
  memberId: string,
  key: string,
  request: PaymentRequest,
): Promise<StoredResponse> {
  const db = deps.db();
  // 2. Claim the key.
  const claim = await claimIdempotencyKey(
    db,
    memberId,
    key,
    await requestHash(request, deps.sha256),
    LEASE_MS,
  );
  if (claim.kind === 'replay') return { status: claim.status, body: claim.body };
  if (claim.kind === 'reused') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
  }
  // Until its lease ends, the request holding the key may still be running; then a retry resumes it.
  if (claim.kind === 'in-use') throw keyInUse(claim.retryAfter);

  // 3. HOLD → PAYMENT_PENDING, the key kept on the hold. A refusal here had no effect: the key is
  // not kept. The same key again (this request's retry, its first attempt having died) resumes.
  const started = await deps.seats
    .startPayment(request.screeningId, memberId, request.holdToken, key)
    .catch(async (error: unknown) => {
      await releaseIdempotencyKey(db, memberId, key); // the coordinator is unreachable: no effect yet
      throw error;
    });
  let seatIds: string[];
  if (started.ok) seatIds = started.value.seatIds;
  else {
    // A hold in payment that does not know its key (started before holds kept it): resumed only
    // by the key that wrote its payment row.
    const earlier =
      started.error.code === 'PAYMENT_IN_PROGRESS'
        ? await findPaymentOfHold(db, request.holdToken)
        : undefined;
    if (!earlier || earlier.memberId !== memberId || earlier.idempotencyKey !== key) {
      await releaseIdempotencyKey(db, memberId, key);
      unwrap(started);
      throw new Error('unreachable: a refusal was unwrapped');
    }
    seatIds = earlier.seatIds;
  }
  deps.faults.after(3);

  // 4. Priced, and the payment row PENDING, in one statement (a resumed request finds its own).
  const opened = await openPayment(db, {
    memberId,
    screeningId: request.screeningId,
    holdToken: request.holdToken,
    idempotencyKey: key,
    method: request.method,
    seatIds,
  });
  if (!opened) {
    // Settled at its deadline before the row was written (the first attempt died): its final answer.
    const stored = await storedAnswer(db, memberId, key);
    if (stored) return stored;
    throw keyInUse(1);
  }
  const { payment } = opened;
  deps.faults.after(4);

  // 5. The gateway, with the payment's id as its idempotency key.
  const outcome = await deps.gateway.charge({
    key: payment.id,
    method: request.method,
    amount: payment.amount,
    cardNumber: request.cardNumber,
  });
  deps.faults.after(5);
  if (outcome !== 'APPROVED') {
    const declined = outcome === 'DECLINED';
    await settlePaymentRow(db, payment.id, declined ? 'DECLINED' : 'FAILED');
    const body = declined
      ? deps.problem('PAYMENT_DECLINED', 'the card was declined; nothing was charged')
      : deps.problem('PAYMENT_GATEWAY_ERROR', 'the payment gateway timed out; nothing was charged');
    // The refusal is final: stored before the seats are freed, so a coordinator that cannot be told
    // now costs no answer. It frees them at the payment deadline from the row settled above.
    await finishIdempotencyKey(db, memberId, key, body.status, body);
    await freeSeats(deps.seats, request);
    return { status: body.status, body };
  }

  // 6. One transaction: reservation, seats, payment APPROVED, stored response.
  const reserved = await approveAndReserve(db, deps.gateway, opened, deps.seats, deps.problem);
  deps.faults.after(6);
  if (!reserved.ok) {
    await freeSeats(deps.seats, request); // the answer is stored by approveAndReserve
    return { status: reserved.response.status, body: reserved.response.body };
  }

  // 7. PAYMENT_PENDING → RESERVED. If the actor cannot be told now, its alarm settles it from the records.
  await deps.seats
    .finishPayment(request.screeningId, request.holdToken, reserved.response.reservation.reservationNo)
    .catch(() => undefined);
  return { status: 201, body: reserved.response satisfies PaymentResponse };
}

/** 409: another request with this key is (or may still be) running; ask again in `retryAfter` s. */
const keyInUse = (retryAfter: number) =>
  new AppError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed', {
    retryAfter,
  });

/** PAYMENT_PENDING → AVAILABLE now if the coordinator answers; else at the deadline, from the records. */
async function freeSeats(seats: SeatCoordinator, request: PaymentRequest): Promise<void> {
  await seats.failPayment(request.screeningId, request.holdToken).catch(() => undefined);
}

/** What tells two requests with one key apart (the card number only as its hash). */
export async function requestHash(
  request: PaymentRequest,
  sha256?: (text: string) => string,
): Promise<string> {
  const canonical = JSON.stringify([
    request.holdToken,
    request.screeningId,
    request.method,
    request.cardNumber ?? null,
  ]);
  // WebCrypto's digest is a job on another thread: 5% of the Node process while paying, against a call.
  if (sha256) return sha256(canonical);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
