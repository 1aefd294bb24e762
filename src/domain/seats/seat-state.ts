// The seven seat states and the one table of allowed moves (the seed's state machine, API.md "Seat states").
// Every seat change anywhere goes through `transition()`; a pair missing from the table is refused.

export const SEAT_STATES = [
  'AVAILABLE',
  'HOLD',
  'PAYMENT_PENDING',
  'RESERVED',
  'RESERVATION_CANCELLED',
  'BLOCKED',
  'DISABLED',
] as const;
export type SeatState = (typeof SEAT_STATES)[number];

export const SEAT_EVENTS = [
  'SELECT',
  'EXPIRE',
  'RELEASE',
  'START_PAYMENT',
  'FAIL_PAYMENT',
  'CONFIRM_PAYMENT',
  'CANCEL_RESERVATION',
  'REFUND_DONE',
  'BLOCK',
  'UNBLOCK',
  'DISABLE',
  'ENABLE',
] as const;
export type SeatEvent = (typeof SEAT_EVENTS)[number];

export interface SeatTransition {
  readonly from: SeatState;
  readonly event: SeatEvent;
  readonly to: SeatState;
}

export const SEAT_TRANSITIONS: readonly SeatTransition[] = [
  { from: 'AVAILABLE', event: 'SELECT', to: 'HOLD' },
  { from: 'HOLD', event: 'EXPIRE', to: 'AVAILABLE' },
  { from: 'HOLD', event: 'RELEASE', to: 'AVAILABLE' },
  { from: 'HOLD', event: 'START_PAYMENT', to: 'PAYMENT_PENDING' },
  // declined or cancelled payment
  { from: 'PAYMENT_PENDING', event: 'FAIL_PAYMENT', to: 'AVAILABLE' },
  // approved and committed to Postgres
  { from: 'PAYMENT_PENDING', event: 'CONFIRM_PAYMENT', to: 'RESERVED' },
  { from: 'RESERVED', event: 'CANCEL_RESERVATION', to: 'RESERVATION_CANCELLED' },
  { from: 'RESERVATION_CANCELLED', event: 'REFUND_DONE', to: 'AVAILABLE' },
  { from: 'AVAILABLE', event: 'BLOCK', to: 'BLOCKED' },
  { from: 'BLOCKED', event: 'UNBLOCK', to: 'AVAILABLE' },
  // physical fault / repaired
  { from: 'AVAILABLE', event: 'DISABLE', to: 'DISABLED' },
  { from: 'DISABLED', event: 'ENABLE', to: 'AVAILABLE' },
];

/** The state `event` moves a seat in `from` to, or null when the table refuses the move. */
export function transition(from: SeatState, event: SeatEvent): SeatState | null {
  for (const t of SEAT_TRANSITIONS) {
    if (t.from === from && t.event === event) return t.to;
  }
  return null;
}

export const isSeatState = (value: unknown): value is SeatState =>
  typeof value === 'string' && (SEAT_STATES as readonly string[]).includes(value);
