// The v1.1 seat rules in the reducer, on a clock of our own: the cool-down after a release or an
// expiry, hold extension up to its cap, the single-seat gap rule, configure, and the screening limit.
import { describe, expect, it } from 'vitest';
import {
  createScreeningSeats,
  type Decision,
  HOLD_RULES,
  reducerWith,
  type ScreeningSeats,
  type SeatCommand,
  type SeatPlace,
  screeningLimitRefusal,
} from '../../../src/domain/seats/index.ts';
import { NOW, SALES_OPEN, START, TTL } from './seat-fixtures.ts';

const COOL = 120_000;
const MAX = 900_000;
const decide = reducerWith({ ...HOLD_RULES, cooldownMs: COOL });

/** Rows of `width` seats, ids like A1; `taken` seats start BLOCKED. */
function hall(rows: number, width: number, gaps: 'ALLOW' | 'PREVENT' = 'ALLOW'): ScreeningSeats {
  const layout: SeatPlace[] = [];
  for (let r = 0; r < rows; r += 1) {
    for (let n = 1; n <= width; n += 1) {
      layout.push({
        seatId: `${String.fromCharCode(65 + r)}${n}`,
        rowLabel: String.fromCharCode(65 + r),
        seatNo: n,
        type: 'STANDARD',
      });
    }
  }
  const built = createScreeningSeats({
    screeningId: 'scr',
    salesOpenAt: SALES_OPEN,
    startTime: START,
    seats: layout.map((seat) => ({ seatId: seat.seatId, status: 'AVAILABLE' as const })),
    singleSeatGaps: gaps,
    layout,
  });
  if (!built.ok) throw new Error('bad hall');
  return built.state;
}

function run(state: ScreeningSeats, command: SeatCommand, now = NOW): ScreeningSeats {
  const decision = decide(state, command, now);
  if (!decision.ok) throw new Error(`expected ok, got ${JSON.stringify(decision.error)}`);
  return decision.state;
}
const refusal = (decision: Decision) => (decision.ok ? null : decision.error);
const hold = (memberId: string, seatIds: string[], holdToken = `t-${Math.random()}`): SeatCommand => ({
  type: 'hold',
  memberId,
  seatIds,
  holdToken,
  ttlMs: TTL,
});

describe('cool-down', () => {
  it('refuses the member the seats it released until the cool-down ends, with the seconds left', () => {
    let s = run(hall(1, 6), hold('m1', ['A1', 'A2'], 't1'));
    s = run(s, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW + 1000);
    expect(refusal(decide(s, hold('m1', ['A2', 'A3']), NOW + 31_000))).toEqual({
      code: 'HOLD_COOLDOWN',
      seatIds: ['A2'],
      retryAfter: 90,
    });
    expect(decide(s, hold('m2', ['A1', 'A2']), NOW + 2000).ok).toBe(true);
    expect(decide(s, hold('m1', ['A3']), NOW + 2000).ok).toBe(true);
    expect(decide(s, hold('m1', ['A1', 'A2']), NOW + 1000 + COOL).ok).toBe(true);
  });

  it('counts from the expiry, not from when the expiry was noticed', () => {
    const s = run(hall(1, 6), hold('m1', ['A1'], 't1'));
    expect(refusal(decide(s, hold('m1', ['A1']), NOW + TTL + COOL - 1))).toMatchObject({
      code: 'HOLD_COOLDOWN',
    });
    expect(decide(s, hold('m1', ['A1']), NOW + TTL + COOL).ok).toBe(true);
  });

  it('does not follow a release the app makes itself (cooldown: false), nor a failed payment', () => {
    let s = run(hall(1, 6), hold('m1', ['A1'], 't1'));
    s = run(s, { type: 'release', memberId: 'm1', holdToken: 't1', cooldown: false });
    expect(decide(s, hold('m1', ['A1']), NOW + 1).ok).toBe(true);
    s = run(s, hold('m1', ['A2'], 't2'));
    s = run(s, { type: 'startPayment', memberId: 'm1', holdToken: 't2', paymentDeadlineMs: 60_000 });
    s = run(s, { type: 'failPayment', holdToken: 't2' });
    expect(decide(s, hold('m1', ['A2']), NOW + 1).ok).toBe(true);
  });

  it('is off with the reducer’s default rules', () => {
    const plain = reducerWith(HOLD_RULES);
    let s = hall(1, 4);
    const held = plain(s, hold('m1', ['A1'], 't1'), NOW);
    if (!held.ok) throw new Error('hold failed');
    const released = plain(held.state, { type: 'release', memberId: 'm1', holdToken: 't1' }, NOW);
    if (!released.ok) throw new Error('release failed');
    s = released.state;
    expect(s.seats.A1).toEqual({ status: 'AVAILABLE' });
  });
});

describe('extend', () => {
  const extend = (holdToken = 't1', memberId = 'm1'): SeatCommand => ({
    type: 'extend',
    memberId,
    holdToken,
    ttlMs: TTL,
    maxMs: MAX,
  });

  it('moves expiresAt to now + TTL, capped at creation + the maximum, with a new version and no seat change', () => {
    const s = run(hall(1, 4), hold('m1', ['A1'], 't1'));
    const later = decide(s, extend(), NOW + 100_000);
    expect(later.ok && later.state.holds.t1?.expiresAt).toBe(NOW + 100_000 + TTL);
    expect(later.ok && later.state.version).toBe(s.version + 1);
    expect(later.ok && later.events).toEqual([]);
    const atCap = run(run(run(s, extend(), NOW + 200_000), extend(), NOW + 450_000), extend(), NOW + 700_000);
    expect(atCap.holds.t1?.expiresAt).toBe(NOW + MAX);
    expect(refusal(decide(atCap, extend(), NOW + 800_000))).toEqual({
      code: 'HOLD_EXTENSION_LIMIT',
      expiresAt: NOW + MAX,
    });
  });

  it('answers HOLD_NOT_FOUND, HOLD_EXPIRED and PAYMENT_IN_PROGRESS as the contract says', () => {
    const s = run(hall(1, 4), hold('m1', ['A1'], 't1'));
    expect(refusal(decide(s, extend('t1', 'm2'), NOW + 1))).toEqual({ code: 'HOLD_NOT_FOUND' });
    expect(refusal(decide(s, extend('nope'), NOW + 1))).toEqual({ code: 'HOLD_NOT_FOUND' });
    expect(refusal(decide(s, extend(), NOW + TTL))).toEqual({ code: 'HOLD_EXPIRED' });
    const paying = run(s, {
      type: 'startPayment',
      memberId: 'm1',
      holdToken: 't1',
      paymentDeadlineMs: 60_000,
    });
    expect(refusal(decide(paying, extend(), NOW + 1))).toEqual({ code: 'PAYMENT_IN_PROGRESS' });
  });
});

describe('single-seat gaps', () => {
  it('refuses under PREVENT a hold that leaves one seat alone, names it, and changes nothing', () => {
    const s = hall(1, 10, 'PREVENT');
    expect(refusal(decide(s, hold('m1', ['A2', 'A3']), NOW))).toEqual({
      code: 'SINGLE_SEAT_GAP',
      gapSeatIds: ['A1'],
    });
    expect(refusal(decide(s, hold('m1', ['A2', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9']), NOW))).toEqual({
      code: 'SINGLE_SEAT_GAP',
      gapSeatIds: ['A1', 'A3', 'A10'],
    });
    expect(decide(s, hold('m1', ['A1', 'A2']), NOW).ok).toBe(true);
    expect(decide(s, hold('m1', ['A3', 'A4']), NOW).ok).toBe(true);
  });

  it('allows it under ALLOW, and never refuses filling a gap that was already there', () => {
    expect(decide(hall(1, 10), hold('m1', ['A2', 'A3']), NOW).ok).toBe(true);
    let s = hall(1, 10, 'PREVENT');
    s = run(s, { type: 'block', seatIds: ['A2'] });
    // A1 is alone already: holding A3 does not make it so.
    expect(decide(s, hold('m1', ['A3', 'A4']), NOW).ok).toBe(true);
    expect(decide(s, hold('m1', ['A1']), NOW).ok).toBe(true);
  });

  it('follows configure, which moves the version and nothing else', () => {
    const s = hall(1, 10);
    const configured = decide(
      s,
      { type: 'configure', singleSeatGaps: 'PREVENT', prices: { STANDARD: 9 } },
      NOW,
    );
    expect(configured.ok && configured.state.version).toBe(s.version + 1);
    expect(configured.ok && configured.events).toEqual([]);
    if (!configured.ok) throw new Error('configure failed');
    expect(configured.state.prices).toEqual({ STANDARD: 9 });
    expect(refusal(decide(configured.state, hold('m1', ['A2']), NOW))).toMatchObject({
      code: 'SINGLE_SEAT_GAP',
    });
    expect(refusal(decide(s, { type: 'configure', singleSeatGaps: 'MAYBE' as 'ALLOW' }, NOW))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('the screening limit', () => {
  it('refuses a hold when the member already holds seats in `limit` other screenings', () => {
    expect(screeningLimitRefusal('s3', ['s1', 's2'], 2)).toEqual({
      code: 'SCREENING_LIMIT_EXCEEDED',
      limit: 2,
      screeningIds: ['s1', 's2'],
    });
    expect(screeningLimitRefusal('s2', ['s1', 's2', 's1'], 2)).toBeNull();
    expect(screeningLimitRefusal('s1', [], 1)).toBeNull();
  });
});
