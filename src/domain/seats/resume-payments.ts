// A coordinator rebuilt from Postgres (a Redis that came back empty) knows the durable states only;
// the payments in flight are in Postgres too, as PENDING payment rows. They are put back as
// PAYMENT_PENDING holds, so each is settled from its records at its deadline, never lost.
import { holdOf, type ScreeningSeats, type SeatEntry } from './screening-seats.ts';

export interface PendingPayment {
  readonly holdToken: string;
  readonly memberId: string;
  readonly seatIds: readonly string[];
  /** When it must be settled (epoch ms): the payment's start plus the payment timeout. */
  readonly deadline: number;
  /** Its Idempotency-Key, kept on the hold as startPayment keeps it. */
  readonly paymentKey?: string;
}

/**
 * Each pending payment becomes a PAYMENT_PENDING hold on those of its seats that are still
 * AVAILABLE; a seat the state already gives to something else stays as it is (the settlement then
 * finds it taken and refunds). A hold token already present is left alone.
 */
export function resumePayments(state: ScreeningSeats, pending: readonly PendingPayment[]): ScreeningSeats {
  if (pending.length === 0) return state;
  const seats: Record<string, SeatEntry> = { ...state.seats };
  const holds = { ...state.holds };
  for (const payment of pending) {
    if (holdOf(state, payment.holdToken) || Object.hasOwn(holds, payment.holdToken)) continue;
    const free = payment.seatIds.filter(
      (id) => Object.hasOwn(seats, id) && seats[id]?.status === 'AVAILABLE',
    );
    for (const id of free) seats[id] = { status: 'PAYMENT_PENDING', holdToken: payment.holdToken };
    holds[payment.holdToken] = {
      memberId: payment.memberId,
      seatIds: free,
      phase: 'PAYMENT_PENDING',
      expiresAt: payment.deadline,
      ...(payment.paymentKey === undefined ? {} : { paymentKey: payment.paymentKey }),
    };
  }
  return { ...state, seats, holds };
}
