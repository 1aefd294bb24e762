// The front's refusal from a recent view: only ever the reducer's own answer, and only when the
// reducer would reach SEAT_NOT_AVAILABLE (a list it refuses as invalid goes to it).
import { describe, expect, it } from 'vitest';
import { refusedAsSeen, type SeatsSeen } from '../../../src/domain/seats/index.ts';

const NOW = 1_000_000;
const seen = (taken: string[]): SeatsSeen => ({
  salesOpenAt: NOW - 1,
  startTime: NOW + 60_000,
  taken: (seatId) => taken.includes(seatId),
});

describe('refusedAsSeen', () => {
  it('refuses a hold whose every seat the view shows taken', () => {
    expect(refusedAsSeen(seen(['a', 'b']), ['a', 'b'], NOW)).toEqual({
      code: 'SEAT_NOT_AVAILABLE',
      unavailableSeatIds: ['a', 'b'],
    });
  });

  it('leaves to the coordinator a hold with a seat the view does not show taken', () => {
    expect(refusedAsSeen(seen(['a']), ['a', 'b'], NOW)).toBeNull();
  });

  it('leaves to the coordinator a list the reducer refuses as invalid (duplicates, too many, none)', () => {
    expect(refusedAsSeen(seen(['a']), ['a', 'a'], NOW)).toBeNull();
    const nine = Array.from({ length: 9 }, (_, index) => `s${index}`);
    expect(refusedAsSeen(seen(nine), nine, NOW)).toBeNull();
    expect(refusedAsSeen(seen([]), [], NOW)).toBeNull();
  });

  it('leaves to the coordinator a hold outside the sales window', () => {
    expect(refusedAsSeen({ ...seen(['a']), salesOpenAt: NOW + 1 }, ['a'], NOW)).toBeNull();
    expect(refusedAsSeen({ ...seen(['a']), startTime: NOW }, ['a'], NOW)).toBeNull();
  });
});
