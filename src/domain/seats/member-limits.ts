// The denial-of-inventory rules that look past one hold (issue 15): the seats a member may not hold
// again yet (the cool-down, kept on the seats themselves), and the limit on the screenings a member
// holds seats in at once, decided across screenings by the caller that knows them (the hold service,
// from the member-hold index and each screening's coordinator). Pure.
import type { SeatEntry } from './screening-seats.ts';
import type { SeatError } from './seat-errors.ts';

/** The seats of `seatIds` that `memberId` gave back or let expire less than its cool-down ago. */
export function coolingSeats(
  entryOf: (seatId: string) => SeatEntry | undefined,
  seatIds: readonly string[],
  memberId: string,
  now: number,
): { seatIds: string[]; until: number } {
  const cooling: string[] = [];
  let until = now;
  for (const seatId of seatIds) {
    const entry = entryOf(seatId);
    if (entry?.status === 'AVAILABLE' && entry.cooling?.memberId === memberId && entry.cooling.until > now) {
      cooling.push(seatId);
      until = Math.max(until, entry.cooling.until);
    }
  }
  return { seatIds: cooling, until };
}

/** A seat `memberId` may take now: AVAILABLE, and not cooling down for that member. */
export const holdableBy = (entry: SeatEntry | undefined, memberId: string, now: number): boolean =>
  entry?.status === 'AVAILABLE' &&
  !(entry.cooling !== undefined && entry.cooling.memberId === memberId && entry.cooling.until > now);

/**
 * The refusal of a hold in `screeningId` when the member already holds seats in `limit` other
 * screenings (`heldIn`: the screenings where the member has live holds, this one included or not).
 */
export function screeningLimitRefusal(
  screeningId: string,
  heldIn: readonly string[],
  limit: number,
): SeatError | null {
  const others = [...new Set(heldIn)].filter((id) => id !== screeningId).sort();
  return others.length + 1 > limit ? { code: 'SCREENING_LIMIT_EXCEEDED', limit, screeningIds: others } : null;
}
