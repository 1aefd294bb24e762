// The reducer obeys the table: a seat in each state, hit by the command behind each event, changes
// exactly when the table allows it; otherwise it is refused, or is one of the listed idempotent no-ops.
import { describe, expect, it } from 'vitest';
import {
  type ScreeningSeats,
  SEAT_EVENTS,
  SEAT_STATES,
  type SeatCommand,
  type SeatEvent,
  type SeatState,
  transition,
} from '../../../src/domain/seats/index.ts';
import { NOW, ok, PAY, screening, statusOf, step, TTL } from './seat-fixtures.ts';

const SEAT = 'C7';
const BUILT_AT = NOW;
const LATER = NOW + 1_000; // the hold is still live
const EXPIRY = BUILT_AT + TTL; // exactly when the hold's TTL ends

/** Seat SEAT in `status`, reached through real commands: hold t1 of m1, reservation R1. */
function seatIn(status: SeatState): ScreeningSeats {
  let s = screening([SEAT, 'C8']);
  const run = (command: SeatCommand) => {
    s = ok(s, command, BUILT_AT).state;
  };
  const path: Record<SeatState, SeatCommand[]> = {
    AVAILABLE: [],
    HOLD: [{ type: 'hold', memberId: 'm1', seatIds: [SEAT], holdToken: 't1', ttlMs: TTL }],
    PAYMENT_PENDING: [
      { type: 'hold', memberId: 'm1', seatIds: [SEAT], holdToken: 't1', ttlMs: TTL },
      { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: TTL },
    ],
    RESERVED: [
      { type: 'hold', memberId: 'm1', seatIds: [SEAT], holdToken: 't1', ttlMs: TTL },
      { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: PAY },
      { type: 'confirmPayment', holdToken: 't1', reservationNo: 'R1' },
    ],
    RESERVATION_CANCELLED: [
      { type: 'hold', memberId: 'm1', seatIds: [SEAT], holdToken: 't1', ttlMs: TTL },
      { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: PAY },
      { type: 'confirmPayment', holdToken: 't1', reservationNo: 'R1' },
      { type: 'cancelReservation', reservationNo: 'R1', seatIds: [SEAT] },
    ],
    BLOCKED: [{ type: 'block', seatIds: [SEAT] }],
    DISABLED: [{ type: 'disable', seatIds: [SEAT] }],
  };
  for (const command of path[status]) run(command);
  expect(statusOf(s, SEAT)).toBe(status);
  return s;
}

/** The command that asks for `event` on SEAT, and when it is sent. */
const commandFor: Record<SeatEvent, { command: SeatCommand; at: number }> = {
  SELECT: {
    command: { type: 'hold', memberId: 'm2', seatIds: [SEAT], holdToken: 't2', ttlMs: TTL },
    at: LATER,
  },
  EXPIRE: { command: { type: 'expire' }, at: EXPIRY },
  RELEASE: { command: { type: 'release', memberId: 'm1', holdToken: 't1' }, at: LATER },
  START_PAYMENT: {
    command: { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: PAY },
    at: LATER,
  },
  FAIL_PAYMENT: { command: { type: 'failPayment', holdToken: 't1' }, at: LATER },
  CONFIRM_PAYMENT: { command: { type: 'confirmPayment', holdToken: 't1', reservationNo: 'R1' }, at: LATER },
  CANCEL_RESERVATION: {
    command: { type: 'cancelReservation', reservationNo: 'R1', seatIds: [SEAT] },
    at: LATER,
  },
  REFUND_DONE: { command: { type: 'refundDone', reservationNo: 'R1', seatIds: [SEAT] }, at: LATER },
  BLOCK: { command: { type: 'block', seatIds: [SEAT] }, at: LATER },
  UNBLOCK: { command: { type: 'unblock', seatIds: [SEAT] }, at: LATER },
  DISABLE: { command: { type: 'disable', seatIds: [SEAT] }, at: LATER },
  ENABLE: { command: { type: 'enable', seatIds: [SEAT] }, at: LATER },
};

// Refused by the table, yet answered ok with nothing changed, so retries are safe.
const NO_OPS = new Set([
  ...SEAT_STATES.filter((s) => s !== 'HOLD').map((s) => `${s}/EXPIRE`), // nothing expired; payments wait
  ...['AVAILABLE', 'RESERVED', 'RESERVATION_CANCELLED', 'BLOCKED', 'DISABLED'].map(
    (s) => `${s}/FAIL_PAYMENT`,
  ),
  'RESERVED/CONFIRM_PAYMENT',
  'RESERVATION_CANCELLED/CONFIRM_PAYMENT',
  'RESERVATION_CANCELLED/CANCEL_RESERVATION',
  ...['AVAILABLE', 'HOLD', 'PAYMENT_PENDING', 'BLOCKED', 'DISABLED'].map((s) => `${s}/REFUND_DONE`),
  'BLOCKED/BLOCK',
  'DISABLED/DISABLE',
  'AVAILABLE/UNBLOCK',
  'AVAILABLE/ENABLE',
]);

const cases = SEAT_STATES.flatMap((status) => SEAT_EVENTS.map((event) => [status, event] as const));

describe('decide follows the transition table for every state × event', () => {
  it.each(cases)('seat in %s, command for %s', (status, event) => {
    const before = seatIn(status);
    const { command, at } = commandFor[event];
    const result = step(before, command, at);
    const to = transition(status, event);

    if (to !== null) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(statusOf(result.state, SEAT)).toBe(to);
      expect(result.events).toEqual([{ seatId: SEAT, status: to }]);
      expect(result.state.version).toBe(before.version + 1);
      expect(statusOf(result.state, 'C8')).toBe('AVAILABLE');
    } else if (NO_OPS.has(`${status}/${event}`)) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.events).toEqual([]);
      expect(result.state).toBe(before);
    } else {
      expect(result.ok).toBe(false);
    }
  });

  it('counts 12 allowed changes, 23 no-ops and 49 refusals', () => {
    const allowed = cases.filter(([s, e]) => transition(s, e) !== null);
    const noOps = cases.filter(([s, e]) => transition(s, e) === null && NO_OPS.has(`${s}/${e}`));
    expect(allowed).toHaveLength(12);
    // every listed no-op is a pair the table refuses
    expect(noOps).toHaveLength(NO_OPS.size);
    expect(noOps).toHaveLength(23);
    expect(cases.length - allowed.length - noOps.length).toBe(49);
  });
});
