// Payment and reservation moves: start (HOLD → PAYMENT_PENDING), settle (confirm / fail, idempotent),
// cancel and refund (idempotent), and the due lists the coordinator settles from its records.
import { describe, expect, it } from 'vitest';
import {
  duePayments,
  dueRefunds,
  holdsOf,
  nextDeadline,
  type SeatCommand,
} from '../../../src/domain/seats/index.ts';
import { NOW, ok, PAY, refused, screening, statusOf, TTL } from './seat-fixtures.ts';

const held = ok(
  screening(),
  { type: 'hold', memberId: 'm1', seatIds: ['A1', 'A2'], holdToken: 't1', ttlMs: TTL },
  NOW,
).state;
const start = (memberId = 'm1', holdToken = 't1'): SeatCommand => ({
  type: 'startPayment',
  memberId,
  holdToken,
  paymentDeadlineMs: PAY,
});
const STARTED_AT = NOW + 10_000;
const paying = ok(held, start(), STARTED_AT).state;
const confirm = (reservationNo = 'R1', holdToken = 't1'): SeatCommand => ({
  type: 'confirmPayment',
  holdToken,
  reservationNo,
});
const reserved = ok(paying, confirm(), STARTED_AT + 1).state;

describe('startPayment', () => {
  it('moves the seats to PAYMENT_PENDING and swaps the TTL for the payment deadline', () => {
    const r = ok(held, start(), STARTED_AT);
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'PAYMENT_PENDING' },
      { seatId: 'A2', status: 'PAYMENT_PENDING' },
    ]);
    expect(r.state.holds.t1).toEqual({
      memberId: 'm1',
      seatIds: ['A1', 'A2'],
      phase: 'PAYMENT_PENDING',
      expiresAt: STARTED_AT + PAY,
      createdAt: expect.any(Number),
    });
    expect(r.deadline).toBe(STARTED_AT + PAY);
    expect(holdsOf(r.state, 'm1', STARTED_AT + TTL)).toHaveLength(1);
  });

  it('keeps the payment key on the hold: the same member and key resume, anything else is refused', () => {
    const keyed = (memberId: string, paymentKey?: string): SeatCommand => ({
      ...start(memberId),
      ...(paymentKey === undefined ? {} : { paymentKey }),
    });
    const started = ok(held, keyed('m1', 'k1'), STARTED_AT).state;
    expect(started.holds.t1?.paymentKey).toBe('k1');
    expect(duePayments(started, STARTED_AT + PAY)).toEqual([
      {
        holdToken: 't1',
        memberId: 'm1',
        seatIds: ['A1', 'A2'],
        deadline: STARTED_AT + PAY,
        paymentKey: 'k1',
      },
    ]);
    const resumed = ok(started, keyed('m1', 'k1'), STARTED_AT + 5);
    expect(resumed.events).toEqual([]);
    expect(resumed.state.holds.t1).toEqual(started.holds.t1); // the deadline stays
    expect(refused(started, keyed('m1', 'k2'), STARTED_AT + 5)).toEqual({ code: 'PAYMENT_IN_PROGRESS' });
    expect(refused(started, keyed('m1'), STARTED_AT + 5)).toEqual({ code: 'PAYMENT_IN_PROGRESS' });
    expect(refused(started, keyed('m2', 'k1'), STARTED_AT + 5)).toEqual({ code: 'HOLD_NOT_FOUND' });
    // A hold started without a key (before holds kept it) resumes with none.
    expect(refused(paying, keyed('m1', 'k1'), STARTED_AT + 5)).toEqual({ code: 'PAYMENT_IN_PROGRESS' });
    expect(refused(held, keyed('m1', ''), STARTED_AT)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers HOLD_NOT_FOUND to another member and to unknown tokens', () => {
    expect(refused(held, start('m2'), NOW)).toEqual({ code: 'HOLD_NOT_FOUND' });
    expect(refused(held, start('m1', 't9'), NOW)).toEqual({ code: 'HOLD_NOT_FOUND' });
  });

  it('answers HOLD_EXPIRED from exactly expiresAt, leaving the state for expire to sweep', () => {
    expect(ok(held, start(), NOW + TTL - 1).events).toHaveLength(2);
    expect(refused(held, start(), NOW + TTL)).toEqual({ code: 'HOLD_EXPIRED' });
    expect(nextDeadline(held)).toBe(NOW + TTL);
  });

  it('refuses a second start with PAYMENT_IN_PROGRESS', () => {
    expect(refused(paying, start(), STARTED_AT + 1)).toEqual({ code: 'PAYMENT_IN_PROGRESS' });
  });

  it('validates the deadline', () => {
    expect(refused(held, { ...start(), paymentDeadlineMs: 0 } as SeatCommand, NOW).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('the payment deadline', () => {
  const deadline = STARTED_AT + PAY;

  it('is not released by expire: the payment is settled from its records', () => {
    const r = ok(paying, { type: 'expire' }, deadline + 3_600_000);
    expect(r.events).toEqual([]);
    expect(statusOf(r.state, 'A1')).toBe('PAYMENT_PENDING');
  });

  it('shows up in duePayments from exactly the deadline', () => {
    expect(duePayments(paying, deadline - 1)).toEqual([]);
    expect(duePayments(paying, deadline)).toEqual([
      { holdToken: 't1', memberId: 'm1', seatIds: ['A1', 'A2'], deadline },
    ]);
    // a plain hold is never a due payment
    expect(duePayments(held, NOW + TTL * 10)).toEqual([]);
  });
});

describe('confirmPayment', () => {
  it('reserves the seats under the reservation number and forgets the hold', () => {
    const r = ok(paying, confirm(), STARTED_AT + PAY + 5_000);
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'RESERVED' },
      { seatId: 'A2', status: 'RESERVED' },
    ]);
    expect(r.state.seats.A1).toEqual({ status: 'RESERVED', reservationNo: 'R1' });
    expect(r.state.holds).toEqual({});
    expect(r.deadline).toBeNull();
    expect(duePayments(r.state, STARTED_AT + PAY * 2)).toEqual([]);
  });

  it('is idempotent: confirming again changes nothing', () => {
    const again = ok(reserved, confirm(), STARTED_AT + 2);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(reserved);
  });

  it('refuses an unknown token with an unknown number, a reused number, and a hold not in payment', () => {
    expect(refused(reserved, confirm('R2', 't9'), STARTED_AT)).toEqual({ code: 'HOLD_NOT_FOUND' });
    const second = ok(
      reserved,
      { type: 'hold', memberId: 'm2', seatIds: ['A3'], holdToken: 't2', ttlMs: TTL },
      STARTED_AT,
    ).state;
    const secondPaying = ok(second, start('m2', 't2'), STARTED_AT).state;
    expect(refused(secondPaying, confirm('R1', 't2'), STARTED_AT).code).toBe('VALIDATION_FAILED');
    expect(refused(second, confirm('R2', 't2'), STARTED_AT)).toEqual({
      code: 'INVALID_TRANSITION',
      event: 'CONFIRM_PAYMENT',
      seats: [{ seatId: 'A3', status: 'HOLD' }],
    });
  });
});

describe('failPayment', () => {
  it('puts the seats back on sale, and a repeat is a no-op', () => {
    const r = ok(paying, { type: 'failPayment', holdToken: 't1' }, STARTED_AT + 1);
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'AVAILABLE' },
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    expect(r.state.holds).toEqual({});
    const again = ok(r.state, { type: 'failPayment', holdToken: 't1' }, STARTED_AT + 2);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(r.state);
  });

  it('is refused for a hold whose payment never started', () => {
    expect(refused(held, { type: 'failPayment', holdToken: 't1' }, NOW)).toMatchObject({
      code: 'INVALID_TRANSITION',
      event: 'FAIL_PAYMENT',
    });
  });
});

describe('cancelReservation and refundDone', () => {
  const cancel = (seatIds = ['A1', 'A2'], refundDeadlineMs?: number): SeatCommand =>
    refundDeadlineMs === undefined
      ? { type: 'cancelReservation', reservationNo: 'R1', seatIds }
      : { type: 'cancelReservation', reservationNo: 'R1', seatIds, refundDeadlineMs };
  const CANCELLED_AT = STARTED_AT + 100_000;

  it('cancels, and a repeat is a no-op', () => {
    const r = ok(reserved, cancel(), CANCELLED_AT);
    expect(r.events.map((e) => e.status)).toEqual(['RESERVATION_CANCELLED', 'RESERVATION_CANCELLED']);
    expect(r.state.seats.A1).toEqual({
      status: 'RESERVATION_CANCELLED',
      reservationNo: 'R1',
      refundDueAt: null,
    });
    const again = ok(r.state, cancel(), CANCELLED_AT + 1);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(r.state);
  });

  it('can cancel part of a reservation', () => {
    const r = ok(reserved, cancel(['A2']), CANCELLED_AT);
    expect([statusOf(r.state, 'A1'), statusOf(r.state, 'A2')]).toEqual(['RESERVED', 'RESERVATION_CANCELLED']);
  });

  it('refuses seats outside the reservation and unknown seats, changing nothing', () => {
    expect(refused(reserved, cancel(['A1', 'A3']), CANCELLED_AT)).toEqual({
      code: 'RESERVATION_MISMATCH',
      reservationNo: 'R1',
      seatIds: ['A3'],
    });
    expect(refused(reserved, cancel(['A1', 'Q1']), CANCELLED_AT).code).toBe('VALIDATION_FAILED');
  });

  it('schedules a refund retry that dueRefunds lists from exactly its deadline', () => {
    const r = ok(reserved, cancel(['A1', 'A2'], 30_000), CANCELLED_AT);
    const due = CANCELLED_AT + 30_000;
    expect(r.deadline).toBe(due);
    expect(dueRefunds(r.state, due - 1)).toEqual([]);
    expect(dueRefunds(r.state, due)).toEqual([{ reservationNo: 'R1', seatIds: ['A1', 'A2'] }]);
    const done = ok(r.state, { type: 'refundDone', reservationNo: 'R1', seatIds: ['A1', 'A2'] }, due);
    expect(dueRefunds(done.state, due)).toEqual([]);
    expect(done.deadline).toBeNull();
  });

  it('refundDone frees the seats; a repeat skips them even after they are held again', () => {
    const cancelled = ok(reserved, cancel(), CANCELLED_AT).state;
    const refund: SeatCommand = { type: 'refundDone', reservationNo: 'R1', seatIds: ['A1', 'A2'] };
    const r = ok(cancelled, refund, CANCELLED_AT + 1);
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'AVAILABLE' },
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    const resold = ok(
      r.state,
      { type: 'hold', memberId: 'm3', seatIds: ['A1'], holdToken: 't3', ttlMs: TTL },
      CANCELLED_AT + 2,
    ).state;
    const again = ok(resold, refund, CANCELLED_AT + 3);
    expect(again.events).toEqual([]);
    expect(statusOf(again.state, 'A1')).toBe('HOLD');
  });

  it('refundDone before the cancel is refused by the table', () => {
    expect(
      refused(reserved, { type: 'refundDone', reservationNo: 'R1', seatIds: ['A1'] }, CANCELLED_AT),
    ).toEqual({
      code: 'INVALID_TRANSITION',
      event: 'REFUND_DONE',
      seats: [{ seatId: 'A1', status: 'RESERVED' }],
    });
  });
});
