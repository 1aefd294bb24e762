// Sold, held, free and blocked counts of a seat map, as the admin sees them: the admin page and the
// per-screening report (API.md, Admin: reports) count with this one table. Pure.
import type { SeatState } from './seat-state.ts';

export interface SeatCounts {
  sold: number;
  held: number;
  free: number;
  blocked: number;
}

const BUCKET: Record<SeatState, keyof SeatCounts> = {
  AVAILABLE: 'free',
  HOLD: 'held',
  PAYMENT_PENDING: 'held',
  RESERVED: 'sold',
  RESERVATION_CANCELLED: 'sold', // until its refund is done
  BLOCKED: 'blocked',
  DISABLED: 'blocked',
};

export function countSeats(seats: readonly { status: SeatState }[]): SeatCounts {
  const counts: SeatCounts = { sold: 0, held: 0, free: 0, blocked: 0 };
  for (const seat of seats) counts[BUCKET[seat.status]] += 1;
  return counts;
}
