// Building a screening's seats from durable states, and the read-only queries coordinators serve.
import { describe, expect, it } from 'vitest';
import {
  countAvailable,
  createScreeningSeats,
  type SeatSeed,
  snapshot,
} from '../../../src/domain/seats/index.ts';
import { NOW, ok, refused, SALES_OPEN, START, screening, statusOf, TTL } from './seat-fixtures.ts';

const init = (seats: readonly SeatSeed[], version?: number) =>
  createScreeningSeats({ screeningId: 'scr-1', salesOpenAt: SALES_OPEN, startTime: START, seats, version });

describe('createScreeningSeats', () => {
  it('rebuilds durable states with no holds', () => {
    const r = init(
      [
        { seatId: 'A1', status: 'AVAILABLE' },
        { seatId: 'A2', status: 'RESERVED', reservationNo: 'R1' },
        { seatId: 'A3', status: 'RESERVATION_CANCELLED', reservationNo: 'R0', refundDueAt: null },
        { seatId: 'A4', status: 'BLOCKED' },
        { seatId: 'A5', status: 'DISABLED' },
      ],
      41,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.version).toBe(41);
    expect(r.state.holds).toEqual({});
    expect(snapshot(r.state)).toEqual({
      version: 41,
      seats: [
        { seatId: 'A1', status: 'AVAILABLE' },
        { seatId: 'A2', status: 'RESERVED' },
        { seatId: 'A3', status: 'RESERVATION_CANCELLED' },
        { seatId: 'A4', status: 'BLOCKED' },
        { seatId: 'A5', status: 'DISABLED' },
      ],
    });
    expect(countAvailable(r.state, NOW)).toBe(1);
  });

  it('keeps only the fields a status needs', () => {
    const row = { seatId: 'A1', status: 'BLOCKED', reason: 'broken armrest', reservationNo: 'x' } as SeatSeed;
    const r = init([row]);
    expect(r.ok && r.state.seats.A1).toEqual({ status: 'BLOCKED' });
  });

  it.each([
    [
      'duplicate seats',
      [
        { seatId: 'A1', status: 'AVAILABLE' },
        { seatId: 'A1', status: 'BLOCKED' },
      ],
    ],
    ['an empty seat id', [{ seatId: '', status: 'AVAILABLE' }]],
    ['a HOLD (not durable)', [{ seatId: 'A1', status: 'HOLD', holdToken: 't' }]],
    ['a reservation without a number', [{ seatId: 'A1', status: 'RESERVED', reservationNo: '' }]],
  ])('refuses %s', (_, seats) => {
    const r = init(seats as SeatSeed[]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a negative version and a missing screening id', () => {
    expect(init([], -1).ok).toBe(false);
    expect(createScreeningSeats({ screeningId: '', salesOpenAt: 0, startTime: 1, seats: [] }).ok).toBe(false);
  });
});

describe('opaque ids', () => {
  // Seat ids and tokens are strings from outside; Object's own names must be ordinary keys.
  const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

  it('treats prototype names as plain seats and tokens', () => {
    const s = screening(ids);
    expect(countAvailable(s, NOW)).toBe(4);
    const r = ok(s, { type: 'hold', memberId: 'm1', seatIds: ids, holdToken: '__proto__', ttlMs: TTL }, NOW);
    expect(r.events.map((e) => e.seatId)).toEqual(ids);
    expect(statusOf(r.state, '__proto__')).toBe('HOLD');
    expect(Object.getPrototypeOf(r.state.seats)).toBe(Object.prototype);
    expect(Object.keys(r.state.holds)).toEqual(['__proto__']);
    const released = ok(r.state, { type: 'release', memberId: 'm1', holdToken: '__proto__' }, NOW);
    expect(released.events.map((e) => e.status)).toEqual([
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
    ]);
  });

  it('does not find seats that are only on the prototype', () => {
    const s = screening(['A1']);
    expect(
      refused(s, { type: 'hold', memberId: 'm1', seatIds: ['constructor'], holdToken: 't', ttlMs: TTL }, NOW),
    ).toEqual({
      code: 'SEAT_NOT_AVAILABLE',
      unavailableSeatIds: ['constructor'],
    });
  });

  it('survives a JSON round trip (what storage does)', () => {
    const s = ok(screening(ids), { type: 'block', seatIds: ['__proto__'] }, NOW).state;
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
