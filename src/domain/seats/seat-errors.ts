// Seat errors are plain values, never thrown: they cross Durable Object RPC and Redis script replies,
// where an Error loses its class. Codes match API.md where API.md has one.
import type { SeatEvent, SeatState } from './seat-state.ts';

export type SeatError =
  /** 409. Unknown seat ids of a hold are listed here too: the seat cannot be had. */
  | { readonly code: 'SEAT_NOT_AVAILABLE'; readonly unavailableSeatIds: readonly string[] }
  /** 409. `heldSeats` counts the member's live HOLD and PAYMENT_PENDING seats. */
  | {
      readonly code: 'HOLD_LIMIT_EXCEEDED';
      readonly limit: number;
      readonly heldSeats: number;
      readonly requestedSeats: number;
    }
  /** 404. Unknown token, or somebody else's: never reveal that it exists. */
  | { readonly code: 'HOLD_NOT_FOUND' }
  /** 409. The hold's TTL passed; the next `expire` (already due) frees its seats. */
  | { readonly code: 'HOLD_EXPIRED' }
  /** 409. Not in API.md: payment already started on this hold (a second start, or a release). */
  | { readonly code: 'PAYMENT_IN_PROGRESS' }
  /** 409. The member released these seats or let them expire a moment ago (the cool-down). */
  | { readonly code: 'HOLD_COOLDOWN'; readonly seatIds: readonly string[]; readonly retryAfter: number }
  /** 409. The member holds seats in `limit` other screenings already (checked across screenings). */
  | {
      readonly code: 'SCREENING_LIMIT_EXCEEDED';
      readonly limit: number;
      readonly screeningIds: readonly string[];
    }
  /** 409. Under PREVENT the hold would leave these seats alone in their rows. */
  | { readonly code: 'SINGLE_SEAT_GAP'; readonly gapSeatIds: readonly string[] }
  /** 409. Best available: no seats fit the request. */
  | { readonly code: 'NOT_ENOUGH_SEATS' }
  /** 409. The hold already expires at its cap (creation + the hold's maximum lifetime). */
  | { readonly code: 'HOLD_EXTENSION_LIMIT'; readonly expiresAt: number }
  | { readonly code: 'SALES_NOT_OPEN' }
  | { readonly code: 'SALES_CLOSED' }
  /** 400. Malformed command: seat id count, duplicates, bad durations, reused token. */
  | { readonly code: 'VALIDATION_FAILED'; readonly message: string }
  /** Not in API.md: listed seats do not belong to this reservation in this screening. */
  | {
      readonly code: 'RESERVATION_MISMATCH';
      readonly reservationNo: string;
      readonly seatIds: readonly string[];
    }
  /** Not in API.md: the transition table refuses `event` for these seats. From internal callers it is a bug. */
  | {
      readonly code: 'INVALID_TRANSITION';
      readonly event: SeatEvent;
      readonly seats: readonly { readonly seatId: string; readonly status: SeatState }[];
    };

export type SeatErrorCode = SeatError['code'];

export const validationFailed = (message: string): SeatError => ({ code: 'VALIDATION_FAILED', message });
