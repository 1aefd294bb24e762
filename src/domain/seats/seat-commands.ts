// What a coordinator may ask of a screening's seats, and what `decide` answers.
// Tokens, reservation numbers and durations come from outside so the reducer stays deterministic.
import type { ScreeningSeats, SeatChange } from './screening-seats.ts';
import type { SeatError } from './seat-errors.ts';

export type SeatCommand =
  /** 1..MAX_SEATS_PER_HOLD distinct seats, all or nothing, expiring at now + ttlMs. */
  | {
      readonly type: 'hold';
      readonly memberId: string;
      readonly seatIds: readonly string[];
      readonly holdToken: string;
      readonly ttlMs: number;
    }
  /** The member gives back a hold that is not in payment. */
  | { readonly type: 'release'; readonly memberId: string; readonly holdToken: string }
  /**
   * HOLD → PAYMENT_PENDING; the payment deadline (now + paymentDeadlineMs) replaces the TTL. The
   * hold keeps `paymentKey`; the same member starting again with the same key resumes (no change).
   */
  | {
      readonly type: 'startPayment';
      readonly memberId: string;
      readonly holdToken: string;
      readonly paymentDeadlineMs: number;
      readonly paymentKey?: string;
    }
  /** Approved and committed: PAYMENT_PENDING → RESERVED. Repeating it is a no-op. */
  | { readonly type: 'confirmPayment'; readonly holdToken: string; readonly reservationNo: string }
  /** Declined, failed or settled as failed: PAYMENT_PENDING → AVAILABLE. A gone token is a no-op. */
  | { readonly type: 'failPayment'; readonly holdToken: string }
  /** RESERVED → RESERVATION_CANCELLED; with refundDeadlineMs, dueRefunds lists it after that long. */
  | {
      readonly type: 'cancelReservation';
      readonly reservationNo: string;
      readonly seatIds: readonly string[];
      readonly refundDeadlineMs?: number;
    }
  /** RESERVATION_CANCELLED → AVAILABLE. Seats no longer in the reservation are skipped. */
  | { readonly type: 'refundDone'; readonly reservationNo: string; readonly seatIds: readonly string[] }
  /** Admin moves; block/disable are all or nothing, every one is a no-op on seats already there. */
  | AdminSeatCommand<'block'>
  | AdminSeatCommand<'unblock'>
  | AdminSeatCommand<'disable'>
  | AdminSeatCommand<'enable'>
  /** The alarm: HOLDs past their TTL → AVAILABLE. Payments past their deadline: see duePayments. */
  | { readonly type: 'expire' };

interface AdminSeatCommand<T extends 'block' | 'unblock' | 'disable' | 'enable'> {
  readonly type: T;
  readonly seatIds: readonly string[];
}

export type SeatCommandType = SeatCommand['type'];

export type Decision =
  | {
      readonly ok: true;
      readonly state: ScreeningSeats;
      /** The batch to broadcast as version state.version; empty means nothing changed. */
      readonly events: readonly SeatChange[];
      /** nextDeadline(state): when the coordinator must wake up (alarm, key deadline). */
      readonly deadline: number | null;
    }
  | { readonly ok: false; readonly error: SeatError };
