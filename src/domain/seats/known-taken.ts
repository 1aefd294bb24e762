// Refusing before the coordinator: a hold whose every seat is known to be taken would be refused by
// the reducer with SEAT_NOT_AVAILABLE naming them all, so a front that keeps a recent view of the
// seats may answer that itself. Only ever a "no": the reducer stays the only one that says yes, and
// whatever the view is unsure of (outside the sales window, a seat it does not know, one free or
// whose hold has ended) goes to the coordinator, as does a seat list the reducer would refuse as
// invalid, since that refusal comes before SEAT_NOT_AVAILABLE.
import { checkSeatIds, MAX_SEATS_PER_HOLD } from './hold-rules.ts';
import { holdOf, isLive, type ScreeningSeats } from './screening-seats.ts';
import type { SeatError } from './seat-errors.ts';

export interface SeatsSeen {
  readonly salesOpenAt: number;
  readonly startTime: number;
  /** Whether the seat was taken (not AVAILABLE, and not a HOLD whose TTL has ended) as of `now`. */
  taken(seatId: string, now: number): boolean;
}

/** The reducer's answer to holding `seatIds` when the view shows them all taken; null when unsure. */
export function refusedAsSeen(seen: SeatsSeen, seatIds: readonly string[], now: number): SeatError | null {
  if (now < seen.salesOpenAt || now >= seen.startTime) return null;
  // A list the reducer refuses as invalid (duplicates, too many) gets that answer from it.
  if (checkSeatIds(seatIds, 1, MAX_SEATS_PER_HOLD)) return null;
  if (!seatIds.every((seatId) => seen.taken(seatId, now))) return null;
  return { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [...seatIds] };
}

/** The view of a whole state, as a coordinator keeps it. */
export const seenIn = (state: ScreeningSeats): SeatsSeen => ({
  salesOpenAt: state.salesOpenAt,
  startTime: state.startTime,
  taken(seatId, now) {
    const entry = Object.hasOwn(state.seats, seatId) ? state.seats[seatId] : undefined;
    if (!entry || entry.status === 'AVAILABLE') return false;
    if (entry.status !== 'HOLD') return true;
    const hold = holdOf(state, entry.holdToken);
    return hold !== undefined && isLive(hold, now);
  },
});

/** A seat as a front may keep it: until when it is taken (a HOLD's TTL end), or forever. */
export function takenUntil(state: ScreeningSeats, seatId: string): number | null {
  const entry = Object.hasOwn(state.seats, seatId) ? state.seats[seatId] : undefined;
  if (!entry || entry.status === 'AVAILABLE') return 0;
  if (entry.status !== 'HOLD') return null;
  const hold = holdOf(state, entry.holdToken);
  return hold === undefined || hold.phase === 'PAYMENT_PENDING' ? null : hold.expiresAt;
}
