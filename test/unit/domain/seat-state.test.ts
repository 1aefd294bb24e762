// The transition table is the seed's state machine, no more and no less (API.md "Seat states").
import { describe, expect, it } from 'vitest';
import {
  SEAT_EVENTS,
  SEAT_STATES,
  SEAT_TRANSITIONS,
  type SeatEvent,
  type SeatState,
  transition,
} from '../../../src/domain/seats/index.ts';

// Written out again on purpose: the table must match this list, not itself.
const SEED: readonly [SeatState, SeatEvent, SeatState][] = [
  ['AVAILABLE', 'SELECT', 'HOLD'],
  ['HOLD', 'EXPIRE', 'AVAILABLE'],
  ['HOLD', 'RELEASE', 'AVAILABLE'],
  ['HOLD', 'START_PAYMENT', 'PAYMENT_PENDING'],
  ['PAYMENT_PENDING', 'FAIL_PAYMENT', 'AVAILABLE'],
  ['PAYMENT_PENDING', 'CONFIRM_PAYMENT', 'RESERVED'],
  ['RESERVED', 'CANCEL_RESERVATION', 'RESERVATION_CANCELLED'],
  ['RESERVATION_CANCELLED', 'REFUND_DONE', 'AVAILABLE'],
  ['AVAILABLE', 'BLOCK', 'BLOCKED'],
  ['BLOCKED', 'UNBLOCK', 'AVAILABLE'],
  ['AVAILABLE', 'DISABLE', 'DISABLED'],
  ['DISABLED', 'ENABLE', 'AVAILABLE'],
];

const pairs = SEAT_STATES.flatMap((from) => SEAT_EVENTS.map((event) => [from, event] as const));

describe('seat states and events', () => {
  it('has the seven states of the contract, in order', () => {
    expect(SEAT_STATES).toEqual([
      'AVAILABLE',
      'HOLD',
      'PAYMENT_PENDING',
      'RESERVED',
      'RESERVATION_CANCELLED',
      'BLOCKED',
      'DISABLED',
    ]);
  });

  it('has twelve distinct events, each used by the table', () => {
    expect(new Set(SEAT_EVENTS).size).toBe(12);
    for (const event of SEAT_EVENTS) expect(SEAT_TRANSITIONS.some((t) => t.event === event)).toBe(true);
  });
});

describe('transition table', () => {
  it.each(pairs)('%s --%s--> as the seed says', (from, event) => {
    const expected = SEED.find(([f, e]) => f === from && e === event)?.[2] ?? null;
    expect(transition(from, event)).toBe(expected);
  });

  it('allows exactly the seed: 12 (state, event) pairs over 11 arrows, the other 72 pairs refused', () => {
    const allowed = pairs.filter(([from, event]) => transition(from, event) !== null);
    expect(pairs).toHaveLength(84);
    expect(allowed).toHaveLength(12);
    expect(pairs.length - allowed.length).toBe(72);
    const arrows = new Set(allowed.map(([from, event]) => `${from}->${transition(from, event)}`));
    expect(arrows.size).toBe(11);
  });

  it('lists every (state, event) pair at most once, so lookups cannot disagree', () => {
    const keys = SEAT_TRANSITIONS.map((t) => `${t.from}/${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(SEAT_TRANSITIONS).toEqual(SEED.map(([from, event, to]) => ({ from, event, to })));
  });

  it('never moves a seat to itself, and every state can reach and be reached from AVAILABLE', () => {
    for (const t of SEAT_TRANSITIONS) expect(t.from).not.toBe(t.to);
    const reach = (start: SeatState, edges: readonly [SeatState, SeatState][]) => {
      const seen = new Set([start]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [a, b] of edges) {
          if (seen.has(a) && !seen.has(b)) {
            seen.add(b);
            grew = true;
          }
        }
      }
      return seen;
    };
    const forward = SEAT_TRANSITIONS.map((t) => [t.from, t.to] as [SeatState, SeatState]);
    const backward = forward.map(([a, b]) => [b, a] as [SeatState, SeatState]);
    expect([...reach('AVAILABLE', forward)].sort()).toEqual([...SEAT_STATES].sort());
    expect([...reach('AVAILABLE', backward)].sort()).toEqual([...SEAT_STATES].sort());
  });

  it('is the only road to RESERVED: only a confirmed payment reserves a seat', () => {
    const intoReserved = SEAT_TRANSITIONS.filter((t) => t.to === 'RESERVED');
    expect(intoReserved).toEqual([{ from: 'PAYMENT_PENDING', event: 'CONFIRM_PAYMENT', to: 'RESERVED' }]);
  });
});
