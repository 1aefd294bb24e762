// Admin moves: block and disable only AVAILABLE seats (all or nothing), unblock and enable put them
// back; each is a no-op on seats already where it would put them, so retries are safe.
import { describe, expect, it } from 'vitest';
import { countAvailable } from '../../../src/domain/seats/index.ts';
import { NOW, ok, refused, screening, statusOf, TTL } from './seat-fixtures.ts';

const held = ok(
  screening(),
  { type: 'hold', memberId: 'm1', seatIds: ['A1'], holdToken: 't1', ttlMs: TTL },
  NOW,
).state;

describe('block and disable', () => {
  it.each(['block', 'disable'] as const)('%s moves AVAILABLE seats out of sale', (type) => {
    const r = ok(held, { type, seatIds: ['A2', 'A3'] }, NOW);
    const status = type === 'block' ? 'BLOCKED' : 'DISABLED';
    expect(r.events).toEqual([
      { seatId: 'A2', status },
      { seatId: 'A3', status },
    ]);
    expect(countAvailable(r.state, NOW)).toBe(9);
    expect(r.state.version).toBe(held.version + 1);
  });

  it.each(['block', 'disable'] as const)('%s is all or nothing: a held seat stops the lot', (type) => {
    expect(refused(held, { type, seatIds: ['A2', 'A1', 'A3'] }, NOW)).toEqual({
      code: 'SEAT_NOT_AVAILABLE',
      unavailableSeatIds: ['A1'],
    });
  });

  it('takes a seat whose hold has expired', () => {
    expect(ok(held, { type: 'block', seatIds: ['A1'] }, NOW + TTL).events).toEqual([
      { seatId: 'A1', status: 'BLOCKED' },
    ]);
  });

  it('block of a blocked seat is a no-op, but a blocked seat cannot be disabled (not in the table)', () => {
    const blocked = ok(held, { type: 'block', seatIds: ['A2'] }, NOW).state;
    const again = ok(blocked, { type: 'block', seatIds: ['A2'] }, NOW);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(blocked);
    // a mixed batch moves only the seats that need it
    expect(ok(blocked, { type: 'block', seatIds: ['A2', 'A3'] }, NOW).events).toEqual([
      { seatId: 'A3', status: 'BLOCKED' },
    ]);
    expect(refused(blocked, { type: 'disable', seatIds: ['A2'] }, NOW)).toEqual({
      code: 'SEAT_NOT_AVAILABLE',
      unavailableSeatIds: ['A2'],
    });
  });

  it('refuses unknown seats, empty and duplicate lists', () => {
    expect(refused(held, { type: 'block', seatIds: ['A2', 'nope'] }, NOW).code).toBe('VALIDATION_FAILED');
    expect(refused(held, { type: 'block', seatIds: [] }, NOW).code).toBe('VALIDATION_FAILED');
    expect(refused(held, { type: 'disable', seatIds: ['A2', 'A2'] }, NOW).code).toBe('VALIDATION_FAILED');
  });
});

describe('unblock and enable', () => {
  const off = ok(
    ok(held, { type: 'block', seatIds: ['A2'] }, NOW).state,
    { type: 'disable', seatIds: ['A3'] },
    NOW,
  ).state;

  it('put the seats back on sale', () => {
    expect(ok(off, { type: 'unblock', seatIds: ['A2'] }, NOW).events).toEqual([
      { seatId: 'A2', status: 'AVAILABLE' },
    ]);
    expect(ok(off, { type: 'enable', seatIds: ['A3'] }, NOW).events).toEqual([
      { seatId: 'A3', status: 'AVAILABLE' },
    ]);
  });

  it('are no-ops on AVAILABLE seats', () => {
    const r = ok(off, { type: 'unblock', seatIds: ['A4', 'A5'] }, NOW);
    expect(r.events).toEqual([]);
    expect(r.state).toBe(off);
  });

  it('are refused by the table for seats in any other state, all of them named', () => {
    expect(refused(off, { type: 'unblock', seatIds: ['A1', 'A2', 'A3'] }, NOW)).toEqual({
      code: 'INVALID_TRANSITION',
      event: 'UNBLOCK',
      seats: [
        { seatId: 'A1', status: 'HOLD' },
        { seatId: 'A3', status: 'DISABLED' },
      ],
    });
    expect(statusOf(off, 'A2')).toBe('BLOCKED');
  });
});
