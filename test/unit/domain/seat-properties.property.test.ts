// Random command sequences by several members over a small screening (fast-check): after every step
// the seat/hold invariants hold, failures change nothing, and each change is exactly one version;
// each decision's `written` is exactly what changed, and adopting it in place gives the same state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adopt,
  type Decision,
  decide,
  holdOf,
  isLive,
  MAX_HELD_SEATS_PER_MEMBER,
  nextDeadline,
  type ScreeningSeats,
  SEAT_EVENTS,
  type SeatCommand,
  type SeatState,
  seatOf,
  transition,
} from '../../../src/domain/seats/index.ts';
import { NOW, ok, screening, step } from './seat-fixtures.ts';

const SEATS = [
  'A1',
  'A2',
  'A3',
  'A4',
  'A5',
  'A6',
  'A7',
  'A8',
  'B1',
  'B2',
  'B3',
  'B4',
  'B5',
  'B6',
  '__proto__',
];
const MEMBERS = ['m1', 'm2', 'm3'];
const TOKENS = Array.from({ length: 10 }, (_, i) => `t${i}`);

const seat = fc.constantFrom(...SEATS);
// m1 is busiest, so the 8-seat limit is reached often
const member = fc.oneof({ weight: 3, arbitrary: fc.constant('m1') }, fc.constantFrom('m2', 'm3'));
const token = fc.constantFrom(...TOKENS);
const someSeats = fc.oneof(
  { weight: 4, arbitrary: fc.uniqueArray(seat, { minLength: 1, maxLength: 9 }) },
  { weight: 1, arbitrary: fc.array(seat, { maxLength: 3 }) }, // empty or duplicates
);

// Commands aimed at an existing hold or reservation are resolved against the state when they run.
type Template =
  | { readonly kind: 'plain'; readonly command: SeatCommand }
  | {
      readonly kind: 'own';
      readonly type: 'release' | 'startPayment' | 'confirmPayment' | 'failPayment';
      readonly pick: number;
      /** Pick among holds in the phase the command expects (most of the time), or any hold. */
      readonly targeted: boolean;
      readonly stranger: boolean;
      readonly reuseNo: boolean;
    }
  | {
      readonly kind: 'reservation';
      readonly type: 'cancelReservation' | 'refundDone';
      readonly pick: number;
    };

const plain = (command: fc.Arbitrary<SeatCommand>) =>
  command.map((c): Template => ({ kind: 'plain', command: c }));

const template: fc.Arbitrary<Template> = fc.oneof(
  {
    weight: 6,
    arbitrary: plain(
      fc.record({
        type: fc.constant('hold' as const),
        memberId: member,
        seatIds: someSeats,
        holdToken: token,
        ttlMs: fc.constantFrom(20_000, 60_000),
      }),
    ),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('own' as const),
      type: fc.constantFrom(
        'release' as const,
        'startPayment' as const,
        'confirmPayment' as const,
        'failPayment' as const,
      ),
      pick: fc.nat(),
      targeted: fc.boolean(),
      stranger: fc.nat(4).map((n) => n === 0),
      reuseNo: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: plain(fc.constant({ type: 'expire' as const })) },
  {
    weight: 1,
    arbitrary: plain(
      fc.record({ type: fc.constant('release' as const), memberId: member, holdToken: token }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reservation' as const),
      type: fc.constantFrom('cancelReservation' as const, 'refundDone' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: plain(
      fc.record({
        type: fc.constantFrom('block' as const, 'unblock' as const, 'disable' as const, 'enable' as const),
        seatIds: fc.uniqueArray(seat, { minLength: 1, maxLength: 3 }),
      }),
    ),
  },
);

const stepArb = fc.record({ template, advance: fc.integer({ min: 0, max: 15_000 }) });
const sequence = (maxLength: number) => fc.array(stepArb, { maxLength, size: 'max' });

let reservationCounter = 0;

function resolve(t: Template, state: ScreeningSeats): SeatCommand {
  if (t.kind === 'plain') return t.command;
  if (t.kind === 'reservation') {
    const numbers = [
      ...new Set(Object.values(state.seats).flatMap((e) => ('reservationNo' in e ? [e.reservationNo] : []))),
    ];
    const reservationNo = numbers.length > 0 ? numbers[t.pick % numbers.length] : 'R-none';
    const seatIds = SEATS.filter((id) => {
      const e = seatOf(state, id);
      return e !== undefined && 'reservationNo' in e && e.reservationNo === reservationNo;
    });
    const ids = seatIds.length > 0 ? seatIds.slice(0, 1 + (t.pick % seatIds.length)) : ['A1'];
    return t.type === 'cancelReservation'
      ? { type: t.type, reservationNo, seatIds: ids, refundDeadlineMs: 30_000 }
      : { type: t.type, reservationNo, seatIds: ids };
  }
  const wanted = t.type === 'release' || t.type === 'startPayment' ? 'HOLD' : 'PAYMENT_PENDING';
  const tokens = Object.keys(state.holds).filter((k) => !t.targeted || holdOf(state, k)?.phase === wanted);
  const holdToken = tokens.length > 0 ? tokens[t.pick % tokens.length] : 'tX';
  const owner = holdOf(state, holdToken)?.memberId ?? 'm1';
  const memberId = t.stranger ? (MEMBERS.find((m) => m !== owner) ?? 'm9') : owner;
  switch (t.type) {
    case 'release':
      return { type: 'release', memberId, holdToken };
    case 'startPayment':
      return { type: 'startPayment', memberId, holdToken, paymentDeadlineMs: 30_000 };
    case 'confirmPayment':
      return {
        type: 'confirmPayment',
        holdToken,
        reservationNo: t.reuseNo ? 'R-shared' : `R${++reservationCounter}`,
      };
    case 'failPayment':
      return { type: 'failPayment', holdToken };
  }
}

/** Whether the hold behind a HOLD seat still runs at `now` (the invariants say it exists). */
function holdRuns(state: ScreeningSeats, holdToken: string, now: number): boolean {
  const hold = holdOf(state, holdToken);
  if (!hold) throw new Error(`hold ${holdToken} missing`);
  return isLive(hold, now);
}

/** The invariants every reachable state keeps. */
function checkInvariants(state: ScreeningSeats, now: number) {
  const owners = new Map<string, string>();
  for (const [holdToken, hold] of Object.entries(state.holds)) {
    expect(hold.seatIds.length).toBeGreaterThan(0);
    for (const seatId of hold.seatIds) {
      // no seat in two holds
      expect(owners.has(seatId), `${seatId} in two holds`).toBe(false);
      owners.set(seatId, holdToken);
      // every seat of a hold carries that hold's token and phase
      expect(seatOf(state, seatId)).toEqual({ status: hold.phase, holdToken });
    }
  }
  for (const [seatId, entry] of Object.entries(state.seats)) {
    if (entry.status === 'HOLD' || entry.status === 'PAYMENT_PENDING') {
      expect(owners.get(seatId)).toBe(entry.holdToken);
    }
  }
  for (const memberId of MEMBERS) {
    const live = Object.values(state.holds).filter((h) => h.memberId === memberId && isLive(h, now));
    const count = live.reduce((sum, h) => sum + h.seatIds.length, 0);
    expect(count).toBeLessThanOrEqual(MAX_HELD_SEATS_PER_MEMBER);
  }
}

/** A seat may go from → to in one batch by one table arrow, or via AVAILABLE when its hold had expired. */
function isAllowedMove(from: SeatState, to: SeatState, expiredHold: boolean): boolean {
  const byOneArrow = (a: SeatState) => SEAT_EVENTS.some((e) => transition(a, e) === to);
  return byOneArrow(from) || (expiredHold && (to === 'AVAILABLE' || byOneArrow('AVAILABLE')));
}

function checkStep(
  before: ScreeningSeats,
  command: SeatCommand,
  now: number,
  after: ScreeningSeats,
  events: readonly { seatId: string; status: SeatState }[],
) {
  if (events.length === 0) {
    expect(after).toBe(before);
    return;
  }
  expect(after.version).toBe(before.version + 1);
  const changed = SEATS.filter(
    (id) => JSON.stringify(seatOf(before, id)) !== JSON.stringify(seatOf(after, id)),
  );
  expect(events.map((e) => e.seatId).sort()).toEqual(changed.sort());
  for (const { seatId, status } of events) {
    expect(seatOf(after, seatId)?.status).toBe(status);
    const old = seatOf(before, seatId);
    if (!old) throw new Error(`event for unknown seat ${seatId}`);
    const expired = old.status === 'HOLD' && !holdRuns(before, old.holdToken, now);
    expect(isAllowedMove(old.status, status, expired), `${seatId}: ${old.status} → ${status}`).toBe(true);
    // a sold seat leaves RESERVED only by cancelling that very reservation
    if (old.status === 'RESERVED') {
      expect(command).toMatchObject({ type: 'cancelReservation', reservationNo: old.reservationNo });
    }
  }
}

/** `written` names every seat and hold that changed, with its value after; nothing else changed. */
function checkWritten(before: ScreeningSeats, decision: Decision & { ok: true }) {
  const after = decision.state;
  const { seats, holds } = decision.written;
  for (const id of SEATS) {
    if (JSON.stringify(seatOf(before, id)) !== JSON.stringify(seatOf(after, id)))
      expect(seats.has(id), `${id} changed but is not in written`).toBe(true);
  }
  for (const [id, entry] of seats) expect(seatOf(after, id)).toEqual(entry);
  const tokens = new Set([...Object.keys(before.holds), ...Object.keys(after.holds)]);
  for (const token of tokens) {
    if (JSON.stringify(holdOf(before, token)) !== JSON.stringify(holdOf(after, token)))
      expect(holds.has(token), `hold ${token} changed but is not in written`).toBe(true);
  }
  for (const [token, hold] of holds) expect(holdOf(after, token)).toEqual(hold);
}

describe('seat reducer properties', () => {
  it('keeps every invariant over random command sequences', () => {
    fc.assert(
      fc.property(sequence(60), (steps) => {
        let state = screening(SEATS);
        let now = NOW;
        const versions = [state.version];
        for (const { template: t, advance } of steps) {
          now += advance;
          const command = resolve(t, state);
          const before = structuredClone(state);
          const result = step(state, command, now); // also checks the input was not mutated
          if (!result.ok) {
            expect(state).toEqual(before);
            // user-facing commands are checked before they move anything: never a table refusal
            if (['hold', 'release', 'startPayment', 'expire'].includes(command.type)) {
              expect(result.error.code).not.toBe('INVALID_TRANSITION');
            }
            continue;
          }
          // what the actor does: the decision written into a state it owns
          const adopted = adopt(structuredClone(state), result);
          checkWritten(state, result);
          checkStep(state, command, now, result.state, result.events);
          expect(adopted).toEqual(result.state);
          expect(result.version).toBe(result.state.version);
          expect(result.deadline).toBe(nextDeadline(result.state));
          if (result.events.length > 0) versions.push(result.state.version);
          state = result.state;
          checkInvariants(state, now);
        }
        // successive committed batches are numbered 0, 1, 2, … without gaps
        expect(versions).toEqual(versions.map((_, i) => i));
        // the alarm may fire twice
        const once = ok(state, { type: 'expire' }, now).state;
        expect(ok(once, { type: 'expire' }, now).events).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('decides the same on a state it owns (adopted in place, with its deadline and reservation indexes) as on copies', () => {
    fc.assert(
      fc.property(sequence(80), (steps) => {
        let copy = screening(SEATS); // each decision's own new state
        let owned = structuredClone(copy); // one state, every decision written into it
        let now = NOW;
        for (const { template: t, advance } of steps) {
          now += advance;
          const command = resolve(t, copy);
          const onCopy = decide(copy, command, now);
          const onOwned = decide(owned, command, now);
          expect(onOwned.ok).toBe(onCopy.ok);
          if (!onOwned.ok || !onCopy.ok) continue;
          // the earliest deadline after the command, as a scan of the whole state finds it
          expect(onOwned.deadline).toBe(nextDeadline(onCopy.state));
          expect(onOwned.events).toEqual(onCopy.events);
          owned = adopt(owned, onOwned);
          copy = onCopy.state;
          expect(owned).toEqual(copy);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a hold succeeds exactly when every seat is free at now and the member stays within 8', () => {
    fc.assert(
      fc.property(sequence(40), member, someSeats, (steps, memberId, seatIds) => {
        let state = screening(SEATS);
        let now = NOW;
        for (const { template: t, advance } of steps) {
          now += advance;
          const r = step(state, resolve(t, state), now);
          if (r.ok) state = r.state;
        }
        const free = (id: string) => {
          const e = seatOf(state, id);
          if (e?.status === 'AVAILABLE') return true;
          return e?.status === 'HOLD' && !holdRuns(state, e.holdToken, now);
        };
        const held = Object.values(state.holds)
          .filter((h) => h.memberId === memberId && isLive(h, now))
          .reduce((sum, h) => sum + h.seatIds.length, 0);
        const r = step(state, { type: 'hold', memberId, seatIds, holdToken: 'fresh', ttlMs: 60_000 }, now);
        const wellFormed =
          seatIds.length >= 1 && seatIds.length <= 8 && new Set(seatIds).size === seatIds.length;
        if (!wellFormed) {
          expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        } else if (!seatIds.every(free)) {
          expect(r).toEqual({
            ok: false,
            error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: seatIds.filter((id) => !free(id)) },
          });
        } else if (held + seatIds.length > MAX_HELD_SEATS_PER_MEMBER) {
          expect(r).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT_EXCEEDED' } });
        } else {
          expect(r.ok).toBe(true);
          const after = r.ok ? r.state : state;
          for (const id of seatIds) expect(seatOf(after, id)).toEqual({ status: 'HOLD', holdToken: 'fresh' });
        }
      }),
      { numRuns: 300 },
    );
  });
});
