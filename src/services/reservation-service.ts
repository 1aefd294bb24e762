// Reservations: who may see one, and cancelling with a refund. RESERVED → RESERVATION_CANCELLED →
// (refund through the gateway) → AVAILABLE; a refund that fails stays PENDING and the coordinator
// retries it, so it is never lost.
import type { Principal } from '../adapters/auth/tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import { findPaymentOfReservation } from '../adapters/db/payment-repository.ts';
import {
  findRefund,
  markCancelled,
  markRefunded,
  noteRefundAttempt,
} from '../adapters/db/refund-repository.ts';
import { findReservationByNo, type ReservationRecord } from '../adapters/db/reservation-read-repository.ts';
import { AppError } from '../domain/errors.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';

/** Owner or admin; anybody else is told it does not exist. */
export async function visibleReservation(db: Database, caller: Principal, reservationNo: string) {
  const record = await findReservationByNo(db, reservationNo);
  if (!record || (record.memberId !== caller.id && caller.role !== 'ADMIN')) {
    throw new AppError('NOT_FOUND', 'no such reservation');
  }
  return record;
}

export interface CancelDeps {
  db: () => Database;
  seats: SeatCoordinator;
  gateway: PaymentGateway;
  cutoffMinutes: number;
}

export interface CancelAnswer {
  reservationNo: string;
  status: 'CANCELLED';
  refund: { status: 'REFUNDED' | 'PENDING'; amount: number };
}

export async function cancelReservation(
  deps: CancelDeps,
  caller: Principal,
  reservationNo: string,
): Promise<CancelAnswer> {
  const db = deps.db();
  const record = await visibleReservation(db, caller, reservationNo);
  if (record.view.status === 'CANCELLED') {
    // A repeat answers as the first did. If the seats never heard of the cancellation (their
    // coordinator was unreachable then), they hear now. A refund not done yet (the first cancel may
    // be at the gateway right now) is asked for again: the gateway's refund is idempotent, so
    // cancels sent at once all answer alike.
    if ((await findRefund(db, record.id))?.status !== 'REFUNDED') {
      await tellSeats(deps, record);
      await refund(deps, record);
    }
    return answer(db, record);
  }
  if (Date.now() > record.startTime.getTime() - deps.cutoffMinutes * 60_000) {
    throw new AppError(
      'CANCELLATION_CLOSED',
      `cancellation closes ${deps.cutoffMinutes} minutes before the start`,
    );
  }
  // Nothing is written while the seats cannot be told (their coordinator is down).
  if (!(await deps.seats.health())) throw seatsUnavailable();
  const payment = await findPaymentOfReservation(db, record.id);
  if (!payment) throw new Error(`reservation ${reservationNo} has no payment`);
  await markCancelled(db, record.id, payment.id, payment.amount);
  await tellSeats(deps, record);
  await refund(deps, record);
  return answer(db, record);
}

/**
 * RESERVED → RESERVATION_CANCELLED in the coordinator; seats already cancelled stay as they are.
 * A cancel sent at the same time may have finished the refund and freed the seats meanwhile (they
 * no longer carry the number): that is the outcome this one wanted, not a failure.
 */
async function tellSeats(deps: CancelDeps, record: ReservationRecord): Promise<void> {
  const cancelled = await deps.seats.cancel(
    record.view.screeningId,
    record.view.reservationNo,
    record.view.seatIds,
  );
  if (cancelled.ok) return;
  if ((await findRefund(deps.db(), record.id))?.status === 'REFUNDED') return;
  throw seatsUnavailable();
}

const seatsUnavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'the seats could not be released yet; try again');

/** Refunds a cancelled reservation and frees its seats; false when the gateway refused (retry later). */
export async function refund(
  deps: Omit<CancelDeps, 'cutoffMinutes'>,
  record: Pick<ReservationRecord, 'id' | 'view'>,
): Promise<boolean> {
  const db = deps.db();
  const payment = await findPaymentOfReservation(db, record.id);
  if (!payment) return false;
  if (payment.status !== 'REFUNDED') {
    if (!(await deps.gateway.refund(payment.id, payment.amount))) {
      await noteRefundAttempt(db, record.id);
      return false;
    }
    await markRefunded(db, record.id);
  }
  await deps.seats.refundDone(record.view.screeningId, record.view.reservationNo, record.view.seatIds);
  return true;
}

async function answer(db: Database, record: ReservationRecord): Promise<CancelAnswer> {
  const refunded = await findRefund(db, record.id);
  return {
    reservationNo: record.view.reservationNo,
    status: 'CANCELLED',
    refund: {
      status: refunded?.status === 'REFUNDED' ? 'REFUNDED' : 'PENDING',
      amount: refunded?.amount ?? 0,
    },
  };
}
