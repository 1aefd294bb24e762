// A private working copy for one command: the only place seats change, always through `transition()`.
// The input state is never touched; a command that fails simply drops its draft.
import {
  type Hold,
  nextDeadline,
  type ScreeningSeats,
  type SeatChange,
  type SeatEntry,
} from './screening-seats.ts';
import type { Decision } from './seat-commands.ts';
import type { SeatError } from './seat-errors.ts';
import { type SeatEvent, type SeatState, transition } from './seat-state.ts';

export interface Draft {
  // Maps, not records: an opaque id like "__proto__" is just a key here.
  readonly seats: Map<string, SeatEntry>;
  readonly holds: Map<string, Hold>;
  /** seatId → status after this command, in the order seats first changed. */
  readonly changed: Map<string, SeatState>;
  /** Set when holds changed but no seat did (an extension): the state still gets a new version. */
  touched: boolean;
}

export const draftOf = (state: ScreeningSeats): Draft => ({
  seats: new Map(Object.entries(state.seats)),
  holds: new Map(Object.entries(state.holds)),
  changed: new Map(),
  touched: false,
});

/**
 * Moves every seat to `next` by `event`, or none: the seats the table refuses are reported together.
 * `next.status` must be what the table says `event` leads to, so the table stays the single source.
 */
export function moveAll(
  draft: Draft,
  seatIds: readonly string[],
  event: SeatEvent,
  next: SeatEntry,
): SeatError | null {
  const refused: { seatId: string; status: SeatState }[] = [];
  for (const seatId of seatIds) {
    const current = draft.seats.get(seatId);
    if (current === undefined) return { code: 'VALIDATION_FAILED', message: `unknown seat ${seatId}` };
    if (transition(current.status, event) !== next.status) refused.push({ seatId, status: current.status });
  }
  if (refused.length > 0) return { code: 'INVALID_TRANSITION', event, seats: refused };
  for (const seatId of seatIds) {
    draft.seats.set(seatId, next);
    draft.changed.set(seatId, next.status);
  }
  return null;
}

/** Frees every HOLD whose TTL ended at or before `now`; payments wait for settlement instead. */
export function sweepExpired(draft: Draft, now: number): SeatError | null {
  for (const [holdToken, hold] of draft.holds) {
    if (hold.phase !== 'HOLD' || hold.expiresAt > now) continue;
    const refused = moveAll(draft, hold.seatIds, 'EXPIRE', freed(hold, hold.expiresAt));
    if (refused) return refused;
    draft.holds.delete(holdToken);
  }
  return null;
}

/** The AVAILABLE entry of a seat its member gave back or let expire at `at`: cooling for that member. */
export function freed(hold: Hold, at: number): SeatEntry {
  const cooldownMs = hold.cooldownMs ?? 0;
  return cooldownMs > 0
    ? { status: 'AVAILABLE', cooling: { memberId: hold.memberId, until: at + cooldownMs } }
    : { status: 'AVAILABLE' };
}

/** The unknown seat ids among `seatIds`. */
export const unknownSeats = (draft: Draft, seatIds: readonly string[]): string[] =>
  seatIds.filter((seatId) => !draft.seats.has(seatId));

/** Turns a finished draft into the decision: a new state with version + 1, or the same state if idle. */
export function commit(state: ScreeningSeats, draft: Draft): Decision {
  if (draft.changed.size === 0 && !draft.touched) {
    return { ok: true, state, events: [], deadline: nextDeadline(state) };
  }
  const next: ScreeningSeats = {
    ...state,
    version: state.version + 1,
    seats: Object.fromEntries(draft.seats),
    holds: Object.fromEntries(draft.holds),
  };
  const events: SeatChange[] = [...draft.changed].map(([seatId, status]) => ({ seatId, status }));
  return { ok: true, state: next, events, deadline: nextDeadline(next) };
}

/** Runs `apply` on a swept draft; any error leaves the caller with its untouched state. */
export function withDraft(
  state: ScreeningSeats,
  now: number,
  apply: (draft: Draft) => SeatError | null,
): Decision {
  const draft = draftOf(state);
  const error = sweepExpired(draft, now) ?? apply(draft);
  return error ? { ok: false, error } : commit(state, draft);
}
