// What one view hands the next without another round trip: a fresh hold (with when it ends on
// this device's clock), a fresh reservation, and a screening's seat selection while the person
// logs in. Lost on reload, which is fine: every view can load the same from the API.
import type { Hold, Reservation } from './api/types.ts';

export interface KnownHold extends Hold {
  /** When the hold ends, in this device's Date.now() terms. */
  deadline: number;
}

const holds = new Map<string, KnownHold>();
const reservations = new Map<string, Reservation>();
const selections = new Map<string, string[]>();

/** `serverDate` (the response's Date header) corrects for this device's clock being off. */
export function rememberHold(hold: Hold, serverDate?: string | null): KnownHold {
  const serverNow = serverDate ? Date.parse(serverDate) : Number.NaN;
  // The header has whole seconds: only a clock that is clearly off is corrected.
  const offBy = Number.isFinite(serverNow) ? Date.now() - serverNow : 0;
  const skew = Math.abs(offBy) > 2_000 ? offBy : 0;
  const known = { ...hold, deadline: Date.parse(hold.expiresAt) + skew };
  holds.set(hold.holdToken, known);
  return known;
}
export const knownHold = (token: string) => holds.get(token);
export const forgetHold = (token: string) => holds.delete(token);

export const rememberReservation = (reservation: Reservation) =>
  reservations.set(reservation.reservationNo, reservation);
export const knownReservation = (reservationNo: string) => reservations.get(reservationNo);

export const savedSelection = (screeningId: string) => selections.get(screeningId) ?? [];
export const saveSelection = (screeningId: string, seatIds: string[]) => selections.set(screeningId, seatIds);
