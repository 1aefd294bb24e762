// What a coordinator may ask of a screening's seats, and what `decide` answers.
// Tokens, reservation numbers and durations come from outside so the reducer stays deterministic.
import type { Hold, ScreeningSeats, SeatChange, SeatEntry, SingleSeatGaps } from './screening-seats.ts';
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
  /** Best available (best-available.ts): `best.count` seats chosen and held in this one command. */
  | {
      readonly type: 'holdBest';
      readonly memberId: string;
      readonly best: BestRequest;
      readonly holdToken: string;
      readonly ttlMs: number;
    }
  /**
   * The member gives back a hold that is not in payment; its seats cool down for the member unless
   * `cooldown` is false (a hold the app itself takes back, e.g. over the screening limit).
   */
  | {
      readonly type: 'release';
      readonly memberId: string;
      readonly holdToken: string;
      readonly cooldown?: boolean;
    }
  /** A HOLD lives on: expiresAt = min(now + ttlMs, createdAt + maxMs). Seats stay HOLD. */
  | {
      readonly type: 'extend';
      readonly memberId: string;
      readonly holdToken: string;
      readonly ttlMs: number;
      readonly maxMs: number;
    }
  /** The admin changed the screening (PATCH): sales window, gap rule, prices. Seats stay as they are. */
  | {
      readonly type: 'configure';
      readonly salesOpenAt?: number;
      readonly singleSeatGaps?: SingleSeatGaps;
      readonly prices?: Readonly<Record<string, number>>;
    }
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

/** What best-available is asked for (API.md, Best available). */
export interface BestRequest {
  readonly count: number;
  /** Seat types allowed; default every type but WHEELCHAIR. */
  readonly types?: readonly string[];
  /** How many of the seats must be WHEELCHAIR seats (0..count). */
  readonly wheelchair?: number;
  /** Adjacent seats in one row; default true. */
  readonly together?: boolean;
}

interface AdminSeatCommand<T extends 'block' | 'unblock' | 'disable' | 'enable'> {
  readonly type: T;
  readonly seatIds: readonly string[];
}

export type SeatCommandType = SeatCommand['type'];

/**
 * What a decision wrote, the values after it (undefined: deleted): what a store saves, and all a
 * coordinator that owns its state needs to bring it up to date (`adopt`).
 */
export interface Written {
  readonly seats: ReadonlyMap<string, SeatEntry | undefined>;
  readonly holds: ReadonlyMap<string, Hold | undefined>;
  /** The screening's configuration fields a `configure` changed. */
  readonly config?: ConfigChange;
}

export type ConfigChange = Partial<Pick<ScreeningSeats, 'salesOpenAt' | 'singleSeatGaps' | 'prices'>>;

export type Decision =
  | {
      readonly ok: true;
      /** The state after the command (built on first read: a coordinator that adopts needs no copy). */
      readonly state: ScreeningSeats;
      /** state.version, without building the state. */
      readonly version: number;
      /** Empty when nothing changed (the same state and version). */
      readonly written: Written;
      /**
       * The batch to broadcast as version state.version. Empty with a new version: the state changed
       * but no seat did (an extension, a new configuration); broadcast it all the same, so versions
       * stay gapless. Empty with the same version: nothing changed.
       */
      readonly events: readonly SeatChange[];
      /** nextDeadline(state): when the coordinator must wake up (alarm, key deadline). */
      readonly deadline: number | null;
    }
  | { readonly ok: false; readonly error: SeatError };

/** What a member asks to hold: the seats it named, or the best ones the coordinator chooses. */
export type HoldWish = { readonly seatIds: readonly string[] } | { readonly best: BestRequest };

/** The command that holds `wish` for `memberId`, once the coordinator has drawn a token and set the TTL. */
export const holdCommand =
  (memberId: string, wish: HoldWish) =>
  (holdToken: string, ttlMs: number): SeatCommand =>
    'best' in wish
      ? { type: 'holdBest', memberId, best: wish.best, holdToken, ttlMs }
      : { type: 'hold', memberId, seatIds: wish.seatIds, holdToken, ttlMs };
