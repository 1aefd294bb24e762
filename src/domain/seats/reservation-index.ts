// Which reservation numbers the seats of a state a coordinator owns carry, so that confirming a
// payment (is this number already on other seats?) does not look at every seat. Kept by `adopt`
// beside the owned seat record, as the deadline index is; any other state is scanned.
import type { ScreeningSeats, SeatEntry } from './screening-seats.ts';

/** Seats per reservation number, by the owned state's seat record. */
const indexes = new WeakMap<object, Map<string, number>>();

const numberOf = (entry: SeatEntry | undefined): string | undefined =>
  entry && 'reservationNo' in entry ? entry.reservationNo : undefined;

/** Whether any seat of `state` carries this reservation number (RESERVED or RESERVATION_CANCELLED). */
export function carriesReservation(state: ScreeningSeats, reservationNo: string): boolean {
  const index = indexes.get(state.seats);
  if (index) return (index.get(reservationNo) ?? 0) > 0;
  return Object.values(state.seats).some((entry) => numberOf(entry) === reservationNo);
}

/**
 * Called by adopt for each seat it writes into an owned record, before the write: the first call
 * for a record counts every seat once (the entry about to be replaced included), later ones move
 * one seat's number.
 */
export function reservationWritten(
  seats: Readonly<Record<string, SeatEntry>>,
  before: SeatEntry | undefined,
  after: SeatEntry | undefined,
): void {
  let index = indexes.get(seats);
  if (!index) {
    index = new Map();
    for (const entry of Object.values(seats)) count(index, numberOf(entry), 1);
    indexes.set(seats, index);
  }
  count(index, numberOf(before), -1);
  count(index, numberOf(after), 1);
}

function count(index: Map<string, number>, reservationNo: string | undefined, by: number): void {
  if (reservationNo === undefined) return;
  const next = (index.get(reservationNo) ?? 0) + by;
  if (next > 0) index.set(reservationNo, next);
  else index.delete(reservationNo);
}
