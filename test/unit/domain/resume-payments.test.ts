// Payments in flight put back after a coordinator is rebuilt from Postgres (an emptied Redis).
import { describe, expect, it } from 'vitest';
import { decide, duePayments, resumePayments } from '../../../src/domain/seats/index.ts';
import { NOW, PAY, screening, seatIds } from './seat-fixtures.ts';

describe('resumePayments', () => {
  it('puts a pending payment back as PAYMENT_PENDING on its seats, due at its deadline', () => {
    const state = resumePayments(screening(seatIds(4)), [
      { holdToken: 't1', memberId: 'm1', seatIds: ['A1', 'A2'], deadline: NOW + PAY },
    ]);
    expect(state.seats.A1).toEqual({ status: 'PAYMENT_PENDING', holdToken: 't1' });
    expect(state.seats.A3).toEqual({ status: 'AVAILABLE' });
    expect(state.holds.t1).toEqual({
      memberId: 'm1',
      seatIds: ['A1', 'A2'],
      phase: 'PAYMENT_PENDING',
      expiresAt: NOW + PAY,
    });
    expect(duePayments(state, NOW + PAY).map((due) => due.holdToken)).toEqual(['t1']);
    // From here it is settled like any other payment.
    const confirmed = decide(state, { type: 'confirmPayment', holdToken: 't1', reservationNo: 'R1' }, NOW);
    expect(confirmed.ok && confirmed.state.seats.A1).toEqual({ status: 'RESERVED', reservationNo: 'R1' });
  });

  it('keeps the payment key, so a retry of the request with it resumes the payment', () => {
    const state = resumePayments(screening(seatIds(2)), [
      { holdToken: 't1', memberId: 'm1', seatIds: ['A1'], deadline: NOW + PAY, paymentKey: 'k1' },
    ]);
    expect(state.holds.t1?.paymentKey).toBe('k1');
    const resumed = decide(
      state,
      { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: PAY, paymentKey: 'k1' },
      NOW,
    );
    expect(resumed.ok && resumed.events).toEqual([]);
  });

  it('leaves a seat the state gives to something else as it is, and keeps the rest of the payment', () => {
    const base = screening(seatIds(4), [{ seatId: 'A1', status: 'RESERVED', reservationNo: 'R0' }]);
    const state = resumePayments(base, [
      { holdToken: 't1', memberId: 'm1', seatIds: ['A1', 'A2'], deadline: NOW },
    ]);
    expect(state.seats.A1).toEqual({ status: 'RESERVED', reservationNo: 'R0' });
    expect(state.seats.A2).toEqual({ status: 'PAYMENT_PENDING', holdToken: 't1' });
    expect(state.holds.t1?.seatIds).toEqual(['A2']);
  });

  it('changes nothing without pending payments, and never takes over a token already there', () => {
    const base = screening(seatIds(2));
    expect(resumePayments(base, [])).toBe(base);
    const once = resumePayments(base, [{ holdToken: 't1', memberId: 'm1', seatIds: ['A1'], deadline: NOW }]);
    const twice = resumePayments(once, [{ holdToken: 't1', memberId: 'm2', seatIds: ['A2'], deadline: NOW }]);
    expect(twice.holds.t1?.memberId).toBe('m1');
    expect(twice.seats.A2).toEqual({ status: 'AVAILABLE' });
  });
});
