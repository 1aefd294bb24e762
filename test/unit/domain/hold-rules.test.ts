// Hold rules of API.md: 1..8 distinct seats, all or nothing, 8 seats per member, the sales window,
// the TTL (expired at exactly expiresAt), release by the owner only, one version per change.
import { describe, expect, it } from 'vitest';
import {
  countAvailable,
  heldSeatCount,
  holdsOf,
  MAX_HELD_SEATS_PER_MEMBER,
  MAX_SEATS_PER_HOLD,
  nextDeadline,
  type ScreeningSeats,
  type SeatCommand,
} from '../../../src/domain/seats/index.ts';
import {
  NOW,
  ok,
  refused,
  SALES_OPEN,
  START,
  screening,
  seatIds,
  statusOf,
  step,
  TTL,
} from './seat-fixtures.ts';

const hold = (memberId: string, ids: readonly string[], holdToken: string, ttlMs = TTL): SeatCommand => ({
  type: 'hold',
  memberId,
  seatIds: ids,
  holdToken,
  ttlMs,
});

describe('hold: input', () => {
  const s = screening();

  it('limits are 8 and 8', () => {
    expect(MAX_SEATS_PER_HOLD).toBe(8);
    expect(MAX_HELD_SEATS_PER_MEMBER).toBe(8);
  });

  it.each([
    ['no seats', hold('m1', [], 't1')],
    ['nine seats', hold('m1', seatIds(9), 't1')],
    ['a duplicate', hold('m1', ['A1', 'A2', 'A1'], 't1')],
    ['an empty seat id', hold('m1', ['A1', ''], 't1')],
    ['a zero TTL', hold('m1', ['A1'], 't1', 0)],
    ['a negative TTL', hold('m1', ['A1'], 't1', -5)],
    ['a fractional TTL', hold('m1', ['A1'], 't1', 1.5)],
    ['a NaN TTL', hold('m1', ['A1'], 't1', Number.NaN)],
    ['an empty member', hold('', ['A1'], 't1')],
    ['an empty token', hold('m1', ['A1'], '')],
  ])('refuses %s with VALIDATION_FAILED', (_, command) => {
    expect(refused(s, command, NOW).code).toBe('VALIDATION_FAILED');
  });

  it('accepts exactly 8 distinct seats', () => {
    const r = ok(s, hold('m1', seatIds(8), 't1'), NOW);
    expect(r.events).toEqual(seatIds(8).map((seatId) => ({ seatId, status: 'HOLD' })));
    expect(r.state.holds.t1).toEqual({
      memberId: 'm1',
      seatIds: seatIds(8),
      phase: 'HOLD',
      expiresAt: NOW + TTL,
      createdAt: NOW,
    });
    expect(r.deadline).toBe(NOW + TTL);
  });

  it('never reuses a live token, even for the same member', () => {
    const held = ok(s, hold('m1', ['A1'], 't1'), NOW).state;
    expect(refused(held, hold('m1', ['A2'], 't1'), NOW)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'holdToken already in use',
    });
  });
});

describe('hold: all or nothing', () => {
  const base = ok(screening(), hold('m2', ['A2'], 'other'), NOW).state;

  it('changes nothing when one seat is taken, and names it', () => {
    const error = refused(base, hold('m1', ['A1', 'A2', 'A3'], 't1'), NOW);
    expect(error).toEqual({ code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ['A2'] });
    expect(statusOf(base, 'A1')).toBe('AVAILABLE');
  });

  it('names unknown, blocked and reserved seats too', () => {
    const blocked = ok(base, { type: 'block', seatIds: ['A4'] }, NOW).state;
    const error = refused(blocked, hold('m1', ['A1', 'Z9', 'A4', 'A2'], 't1'), NOW);
    expect(error).toEqual({ code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ['Z9', 'A4', 'A2'] });
  });

  it('does not let a member grab a seat they already hold', () => {
    expect(refused(base, hold('m2', ['A2'], 't2'), NOW).code).toBe('SEAT_NOT_AVAILABLE');
  });
});

describe('hold: 8 seats per member per screening', () => {
  const s = screening(seatIds(20));

  it('counts seats across several holds, in payment too', () => {
    let state = ok(s, hold('m1', seatIds(5), 'h1'), NOW).state;
    state = ok(
      state,
      { type: 'startPayment', memberId: 'm1', holdToken: 'h1', paymentDeadlineMs: 60_000 },
      NOW,
    ).state;
    state = ok(state, hold('m1', ['A6', 'A7', 'A8'], 'h2'), NOW).state;
    expect(heldSeatCount(state, 'm1', NOW)).toBe(8);
    expect(refused(state, hold('m1', ['A9'], 'h3'), NOW)).toEqual({
      code: 'HOLD_LIMIT_EXCEEDED',
      limit: 8,
      heldSeats: 8,
      requestedSeats: 1,
    });
    // somebody else is not limited by m1
    expect(ok(state, hold('m2', ['A9'], 'x1'), NOW).events).toEqual([{ seatId: 'A9', status: 'HOLD' }]);
  });

  it('refuses a hold that would pass the limit, not only one that starts above it', () => {
    const state = ok(s, hold('m1', seatIds(6), 'h1'), NOW).state;
    expect(refused(state, hold('m1', ['A7', 'A8', 'A9'], 'h2'), NOW)).toMatchObject({
      code: 'HOLD_LIMIT_EXCEEDED',
      heldSeats: 6,
      requestedSeats: 3,
    });
    expect(ok(state, hold('m1', ['A7', 'A8'], 'h2'), NOW).state.version).toBe(state.version + 1);
  });

  it('frees room when a hold is released or expires', () => {
    let state = ok(s, hold('m1', seatIds(4), 'h1'), NOW).state;
    state = ok(state, hold('m1', ['A5', 'A6', 'A7', 'A8'], 'h2'), NOW + 1).state;
    state = ok(state, { type: 'release', memberId: 'm1', holdToken: 'h2' }, NOW + 2).state;
    state = ok(state, hold('m1', ['A9', 'A10', 'A11', 'A12'], 'h3'), NOW + 3).state;
    expect(refused(state, hold('m1', ['A13'], 'h4'), NOW + 4).code).toBe('HOLD_LIMIT_EXCEEDED');
    // h1 ends at NOW + TTL: from then on its 4 seats no longer count
    expect(ok(state, hold('m1', ['A13', 'A14', 'A15', 'A16'], 'h4'), NOW + TTL).events).toHaveLength(8);
  });
});

describe('hold: sales window', () => {
  const s = screening();

  it('is closed before salesOpenAt and open exactly at it', () => {
    expect(refused(s, hold('m1', ['A1'], 't1'), SALES_OPEN - 1)).toEqual({ code: 'SALES_NOT_OPEN' });
    expect(ok(s, hold('m1', ['A1'], 't1'), SALES_OPEN).events).toHaveLength(1);
  });

  it('is open until just before startTime and closed exactly at it', () => {
    expect(ok(s, hold('m1', ['A1'], 't1'), START - 1).events).toHaveLength(1);
    expect(refused(s, hold('m1', ['A1'], 't1'), START)).toEqual({ code: 'SALES_CLOSED' });
    expect(refused(s, hold('m1', ['A1'], 't1'), START + 60_000)).toEqual({ code: 'SALES_CLOSED' });
  });
});

describe('hold: TTL', () => {
  const held = ok(screening(), hold('m1', ['A1', 'A2'], 't1'), NOW).state;
  const expiresAt = NOW + TTL;

  it('keeps the seats until just before expiresAt', () => {
    const justBefore = expiresAt - 1;
    expect(refused(held, hold('m2', ['A1'], 't2'), justBefore)).toEqual({
      code: 'SEAT_NOT_AVAILABLE',
      unavailableSeatIds: ['A1'],
    });
    expect(holdsOf(held, 'm1', justBefore)).toEqual([
      { holdToken: 't1', seatIds: ['A1', 'A2'], expiresAt, phase: 'HOLD' },
    ]);
    expect(countAvailable(held, justBefore)).toBe(10);
  });

  it('is over at exactly expiresAt: the seats count as available and can be held again', () => {
    expect(holdsOf(held, 'm1', expiresAt)).toEqual([]);
    expect(countAvailable(held, expiresAt)).toBe(12);
    const r = ok(held, hold('m2', ['A1'], 't2'), expiresAt);
    // the expired hold goes in the same batch: A1 to its new holder, A2 back on sale
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'HOLD' },
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    expect(r.state.version).toBe(held.version + 1);
    expect(Object.keys(r.state.holds)).toEqual(['t2']);
    expect(r.state.seats.A1).toEqual({ status: 'HOLD', holdToken: 't2' });
    expect(r.deadline).toBe(expiresAt + TTL);
  });

  it('is swept by expire, exactly at expiresAt and not a millisecond before', () => {
    const early = ok(held, { type: 'expire' }, expiresAt - 1);
    expect(early.events).toEqual([]);
    expect(early.state).toBe(held);
    expect(early.deadline).toBe(expiresAt);

    const swept = ok(held, { type: 'expire' }, expiresAt);
    expect(swept.events).toEqual([
      { seatId: 'A1', status: 'AVAILABLE' },
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    expect(swept.state.holds).toEqual({});
    expect(swept.state.version).toBe(held.version + 1);
    expect(swept.deadline).toBeNull();
  });

  it('expire is idempotent: a second run at the same instant changes nothing', () => {
    const once = ok(held, { type: 'expire' }, expiresAt).state;
    const twice = ok(once, { type: 'expire' }, expiresAt);
    expect(twice.events).toEqual([]);
    expect(twice.state).toBe(once);
    expect(twice.state.version).toBe(once.version);
  });

  it('reports the earliest deadline of several holds', () => {
    const two = ok(held, hold('m2', ['A5'], 't2', 1_000), NOW + 10).state;
    expect(nextDeadline(two)).toBe(NOW + 10 + 1_000);
    expect(nextDeadline(screening())).toBeNull();
  });

  it('reports the earliest deadline after an instant, skipping those at or before it', () => {
    const two = ok(held, hold('m2', ['A5'], 't2', 1_000), NOW + 10).state;
    expect(nextDeadline(two, NOW + 10 + 1_000)).toBe(NOW + TTL);
    expect(nextDeadline(two, NOW + TTL)).toBeNull();
  });
});

describe('release', () => {
  const held = ok(screening(), hold('m1', ['A1', 'A2'], 't1'), NOW).state;

  it('puts the owner’s seats back on sale, once', () => {
    const r = ok(held, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW + 1);
    expect(r.events).toEqual([
      { seatId: 'A1', status: 'AVAILABLE' },
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    expect(r.state.holds).toEqual({});
    expect(r.state.version).toBe(held.version + 1);
    expect(refused(r.state, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW + 2)).toEqual({
      code: 'HOLD_NOT_FOUND',
    });
  });

  it('answers HOLD_NOT_FOUND to anybody else and to unknown tokens', () => {
    expect(refused(held, { type: 'release', memberId: 'm2', holdToken: 't1' }, NOW)).toEqual({
      code: 'HOLD_NOT_FOUND',
    });
    expect(refused(held, { type: 'release', memberId: 'm1', holdToken: 'nope' }, NOW)).toEqual({
      code: 'HOLD_NOT_FOUND',
    });
    // prototype names are just unknown tokens
    expect(refused(held, { type: 'release', memberId: 'm1', holdToken: 'constructor' }, NOW).code).toBe(
      'HOLD_NOT_FOUND',
    );
  });

  it('of an expired hold succeeds: its seats are freed in this batch', () => {
    const r = ok(held, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW + TTL);
    expect(r.events.map((e) => e.status)).toEqual(['AVAILABLE', 'AVAILABLE']);
  });

  it('is refused once payment has started', () => {
    const paying = ok(
      held,
      { type: 'startPayment', memberId: 'm1', holdToken: 't1', paymentDeadlineMs: 60_000 },
      NOW,
    ).state;
    expect(refused(paying, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW)).toEqual({
      code: 'PAYMENT_IN_PROGRESS',
    });
  });
});

describe('versions', () => {
  it('go up by exactly one per change and stay put on errors and no-ops', () => {
    let state: ScreeningSeats = screening();
    const versions = [state.version];
    const commands: [SeatCommand, number][] = [
      [hold('m1', ['A1'], 't1'), NOW],
      [hold('m2', ['A1'], 't2'), NOW], // error
      [{ type: 'unblock', seatIds: ['A2'] }, NOW], // no-op
      [{ type: 'expire' }, NOW], // no-op
      [hold('m2', ['A2', 'A3'], 't2'), NOW],
      [{ type: 'release', memberId: 'm1', holdToken: 't1' }, NOW],
      [{ type: 'block', seatIds: ['A4'] }, NOW],
      [{ type: 'expire' }, NOW + TTL],
      [{ type: 'expire' }, NOW + TTL], // no-op
    ];
    for (const [command, at] of commands) {
      const r = step(state, command, at);
      if (r.ok) state = r.state;
      versions.push(state.version);
    }
    expect(versions).toEqual([0, 1, 1, 1, 1, 2, 3, 4, 5, 5]);
  });
});
