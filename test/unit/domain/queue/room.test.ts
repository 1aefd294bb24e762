// The room's rules on a controlled clock: the draw at the opening, later arrivals in arrival order,
// admission spread evenly at the configured rate, no burst after a late step or an idle room, a
// new rate taking effect, admissions that expire, and what a waiting member is told.
import { describe, expect, it } from 'vitest';
import {
  advance,
  CATCH_UP_MS,
  newRoom,
  queueOpensAt,
  type RoomState,
  reconfigure,
  type Ticket,
  ticketView,
} from '../../../../src/domain/queue/index.ts';

const OPEN = Date.parse('2026-12-24T10:00:00Z');
const ADMISSION_MS = 900_000;

function joined(room: RoomState, count: number): RoomState {
  return { ...room, joined: room.joined + count };
}

/** Steps the room every `stepMs` from `from` to `to`, recording when each place was admitted. */
function run(room: RoomState, from: number, to: number, stepMs: number) {
  const admittedAt: number[] = [];
  let state = room;
  for (let now = from; now <= to; now += stepMs) {
    const step = advance(state, now);
    for (let i = 0; i < step.admit; i++) admittedAt.push(now);
    state = step.next;
  }
  return { state, admittedAt };
}

describe('the room before the opening', () => {
  it('opens its queue opensBeforeMinutes before sales', () => {
    expect(queueOpensAt(OPEN, 30)).toBe(OPEN - 30 * 60_000);
  });

  it('neither draws nor admits before salesOpenAt, and wakes at it', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 10);
    const step = advance(room, OPEN - 1);
    expect(step).toMatchObject({ draw: false, admit: 0, wakeAt: OPEN });
    expect(step.next).toBe(room);
  });

  it('draws at the first step from salesOpenAt, once', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 10);
    const first = advance(room, OPEN);
    expect(first.draw).toBe(true);
    expect(first.admit).toBe(1);
    expect(advance(first.next, OPEN + 10).draw).toBe(false);
  });

  it('tells early joiners no position, and the time until the draw', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 3);
    const ticket: Ticket = { ticketId: 't', memberId: 'm', place: 2, admittedAt: null };
    expect(ticketView(room, ticket, OPEN - 120_000, ADMISSION_MS)).toEqual({
      ticketId: 't',
      status: 'WAITING',
      position: null,
      estimatedWaitSeconds: 120,
      pollAfterSeconds: 30,
    });
  });
});

describe('admission', () => {
  it('admits admitPerMinute a minute, spread evenly (one a second at 60), in place order', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 500);
    const { state, admittedAt } = run(room, OPEN, OPEN + 5 * 60_000 - 1, 100);
    expect(state.admitted).toBe(300);
    const gaps = admittedAt.slice(1).map((at, i) => at - (admittedAt[i] as number));
    expect(Math.min(...gaps)).toBe(1000);
    expect(Math.max(...gaps)).toBe(1000);
  });

  it('holds the rate within 1% at a high rate stepped coarsely, in batches no bigger than a step', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 6000 }), 100_000);
    const { state, admittedAt } = run(room, OPEN, OPEN + 10 * 60_000 - 1, 250);
    expect(Math.abs(state.admitted - 60_000)).toBeLessThan(600);
    const perStep = new Map<number, number>();
    for (const at of admittedAt) perStep.set(at, (perStep.get(at) ?? 0) + 1);
    expect(Math.max(...perStep.values())).toBeLessThanOrEqual(26); // 25 per 250 ms, plus the first
  });

  it('makes up at most CATCH_UP_MS of slots after a late step: no burst', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 600 }), 1000);
    const late = advance(room, OPEN + 60_000); // a minute without a step
    expect(late.admit).toBe(CATCH_UP_MS / 100 + 1);
  });

  it('loses the slots of an idle room: a crowd arriving later is admitted at the rate', () => {
    let room = advance(joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 1), OPEN).next;
    room = advance(room, OPEN + 3_600_000).next; // an hour with nobody waiting
    room = joined(room, 100);
    const { state, admittedAt } = run(room, OPEN + 3_600_100, OPEN + 3_600_100 + 9_999, 100);
    // One second of catch-up (2 slots at most), then one a second: 11 or 12 in 10 s, not 100.
    expect(admittedAt.filter((at) => at === OPEN + 3_600_100).length).toBeLessThanOrEqual(2);
    expect(state.admitted - 1).toBeLessThanOrEqual(12);
    expect(state.admitted - 1).toBeGreaterThanOrEqual(10);
  });

  it('stops waking when nobody waits, and wakes at the next slot while someone does', () => {
    const room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 }), 2);
    const first = advance(room, OPEN);
    expect(first.wakeAt).toBe(OPEN + 1000);
    const second = advance(first.next, OPEN + 1000);
    expect(second.admit).toBe(1);
    expect(second.wakeAt).toBeNull();
  });

  it('takes a new rate from now on, its next slot no later than one new interval away', () => {
    let room = joined(newRoom({ salesOpenAt: OPEN, admitPerMinute: 1 }), 1000);
    room = advance(room, OPEN).next; // the next slot is a minute away
    room = reconfigure(room, { salesOpenAt: OPEN, admitPerMinute: 600 }, OPEN + 1000);
    expect(room.nextSlotAt).toBe(OPEN + 1100);
    const { state } = run(room, OPEN + 1100, OPEN + 11_000, 100);
    expect(state.admitted).toBe(1 + 100);
  });

  it('follows a new opening time until the draw, never after it', () => {
    const room = newRoom({ salesOpenAt: OPEN, admitPerMinute: 60 });
    const moved = reconfigure(room, { salesOpenAt: OPEN + 5000, admitPerMinute: 60 }, OPEN - 10_000);
    expect(moved).toMatchObject({ salesOpenAt: OPEN + 5000, nextSlotAt: OPEN + 5000 });
    const drawn = advance(joined(room, 1), OPEN).next;
    expect(reconfigure(drawn, { salesOpenAt: OPEN + 5000, admitPerMinute: 60 }, OPEN + 1)).toBe(drawn);
  });
});

describe('what a member is told', () => {
  const room: RoomState = {
    salesOpenAt: OPEN,
    admitPerMinute: 120,
    drawn: true,
    joined: 1000,
    admitted: 100,
    nextSlotAt: OPEN + 60_000,
  };

  it('a position counted from the last admitted place, and a wait at the rate', () => {
    const ticket: Ticket = { ticketId: 't', memberId: 'm', place: 341, admittedAt: null };
    expect(ticketView(room, ticket, OPEN + 59_500, ADMISSION_MS)).toEqual({
      ticketId: 't',
      status: 'WAITING',
      position: 241,
      estimatedWaitSeconds: 121, // 0.5 s to the next slot, then 240 half-second slots
      pollAfterSeconds: 30,
    });
    const next = ticketView(room, { ...ticket, place: 101 }, OPEN + 59_000, ADMISSION_MS);
    expect(next).toMatchObject({ position: 1, estimatedWaitSeconds: 1, pollAfterSeconds: 1 });
  });

  it('admitted until ADMISSION_SECONDS after admission, then expired', () => {
    const ticket: Ticket = { ticketId: 't', memberId: 'm', place: 5, admittedAt: OPEN + 2000 };
    const until = OPEN + 2000 + ADMISSION_MS;
    expect(ticketView(room, ticket, until - 1, ADMISSION_MS)).toEqual({
      ticketId: 't',
      status: 'ADMITTED',
      admittedUntil: until,
    });
    expect(ticketView(room, ticket, until, ADMISSION_MS)).toMatchObject({ status: 'EXPIRED' });
  });
});
