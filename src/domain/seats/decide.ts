// The seat reducer: one screening, one command, one instant → a new state and its broadcast, or an error.
// Pure and deterministic; every successful command first frees HOLDs whose TTL ended by `now`.
// Every coordinator (the Durable Object, the Redis adapter) runs this reducer and no copy of it.
// The v1.1 rules live beside it: best-available.ts, seat-rows.ts (gaps), member-limits.ts (cool-down).
import { chooseBest } from './best-available.ts';
import { checkDuration, checkId, checkSeatIds, HOLD_RULES, type HoldRules } from './hold-rules.ts';
import { coolingSeats } from './member-limits.ts';
import { carriesReservation } from './reservation-index.ts';
import { holdOf, type ScreeningSeats } from './screening-seats.ts';
import type { BestRequest, Decision, SeatCommand } from './seat-commands.ts';
import { type Draft, freed, moveAll, unknownSeats, withDraft } from './seat-draft.ts';
import { type SeatError, validationFailed } from './seat-errors.ts';
import { gapsLeftBy, rowsOf } from './seat-rows.ts';

const ANY_COUNT = Number.MAX_SAFE_INTEGER;

export type Reducer = (state: ScreeningSeats, command: SeatCommand, now: number) => Decision;

/** The reducer under other hold limits: tests use it to show a coordinator follows the reducer it runs. */
export const reducerWith =
  (rules: HoldRules): Reducer =>
  (state, command, now) =>
    reduce(rules, state, command, now);

export const decide: Reducer = reducerWith(HOLD_RULES);

function reduce(rules: HoldRules, state: ScreeningSeats, command: SeatCommand, now: number): Decision {
  if (!Number.isFinite(now)) return fail(validationFailed('now must be epoch milliseconds'));
  switch (command.type) {
    case 'hold':
      return hold(rules, state, command, now);
    case 'holdBest':
      return holdBest(rules, state, command, now);
    case 'release':
      return release(state, command, now);
    case 'extend':
      return extend(state, command, now);
    case 'configure':
      return configure(state, command, now);
    case 'startPayment':
      return startPayment(state, command, now);
    case 'confirmPayment':
      return confirmPayment(state, command, now);
    case 'failPayment':
      return failPayment(state, command, now);
    case 'cancelReservation':
      return cancelReservation(state, command, now);
    case 'refundDone':
      return refundDone(state, command, now);
    case 'block':
    case 'disable':
      return takeOutOfSale(state, command, now);
    case 'unblock':
    case 'enable':
      return putBackOnSale(state, command, now);
    case 'expire':
      return withDraft(state, now, () => null);
    default:
      return fail(validationFailed(`unknown command ${(command satisfies never as { type: unknown }).type}`));
  }
}

type CommandOf<T extends SeatCommand['type']> = Extract<SeatCommand, { type: T }>;

const fail = (error: SeatError): Decision => ({ ok: false, error });

function hold(rules: HoldRules, state: ScreeningSeats, cmd: CommandOf<'hold'>, now: number): Decision {
  const invalid =
    checkId('memberId', cmd.memberId) ??
    checkId('holdToken', cmd.holdToken) ??
    checkSeatIds(cmd.seatIds, 1, rules.maxSeatsPerHold) ??
    checkDuration('ttlMs', cmd.ttlMs);
  if (invalid) return fail(invalid);
  return holdWith(rules, state, cmd, now, () => cmd.seatIds);
}

function holdBest(
  rules: HoldRules,
  state: ScreeningSeats,
  cmd: CommandOf<'holdBest'>,
  now: number,
): Decision {
  const invalid =
    checkId('memberId', cmd.memberId) ??
    checkId('holdToken', cmd.holdToken) ??
    checkBest(cmd.best, rules.maxSeatsPerHold) ??
    checkDuration('ttlMs', cmd.ttlMs);
  if (invalid) return fail(invalid);
  const layout = state.layout;
  if (!layout) return fail(validationFailed('best available needs the screening layout'));
  return holdWith(rules, state, cmd, now, (draft) => {
    const chosen = chooseBest(
      {
        rows: rowsOf(layout),
        entryOf: (seatId) => draft.seats.get(seatId),
        memberId: cmd.memberId,
        now,
        gaps: state.singleSeatGaps ?? 'ALLOW',
      },
      cmd.best,
    );
    return chosen ?? { code: 'NOT_ENOUGH_SEATS' };
  });
}

function checkBest(best: BestRequest, max: number): SeatError | null {
  if (typeof best !== 'object' || best === null) return validationFailed('best must be an object');
  if (!Number.isSafeInteger(best.count) || best.count < 1 || best.count > max) {
    return validationFailed(`best.count must be 1..${max}`);
  }
  const wheelchair = best.wheelchair ?? 0;
  if (!Number.isSafeInteger(wheelchair) || wheelchair < 0 || wheelchair > best.count) {
    return validationFailed('best.wheelchair must be 0..count');
  }
  if (best.types !== undefined && (!Array.isArray(best.types) || best.types.length === 0)) {
    return validationFailed('best.types must list at least one type');
  }
  return null;
}

/** The hold itself, for seats the member named or best-available chose on the swept draft. */
function holdWith(
  rules: HoldRules,
  state: ScreeningSeats,
  cmd: { readonly memberId: string; readonly holdToken: string; readonly ttlMs: number },
  now: number,
  pick: (draft: Draft) => readonly string[] | SeatError,
): Decision {
  // A token is an identity: reusing one would merge two holds.
  if (holdOf(state, cmd.holdToken)) return fail(validationFailed('holdToken already in use'));
  if (now < state.salesOpenAt) return fail({ code: 'SALES_NOT_OPEN' });
  if (now >= state.startTime) return fail({ code: 'SALES_CLOSED' });

  return withDraft(state, now, (draft) => {
    // After the sweep every remaining hold is live.
    let heldSeats = 0;
    for (const h of draft.holds.values()) if (h.memberId === cmd.memberId) heldSeats += h.seatIds.length;
    const overLimit = (requestedSeats: number): SeatError | null =>
      heldSeats + requestedSeats > rules.maxHeldSeatsPerMember
        ? { code: 'HOLD_LIMIT_EXCEEDED', limit: rules.maxHeldSeatsPerMember, heldSeats, requestedSeats }
        : null;
    // Best available is refused over the limit before any seat is chosen.
    const early = 'best' in cmd ? overLimit((cmd as { best: BestRequest }).best.count) : null;
    if (early) return early;
    const picked = pick(draft);
    if (!Array.isArray(picked)) return picked as SeatError;
    const seatIds = picked as readonly string[];
    // Unknown seats are reported as unavailable: a client with a stale map gets a 409, not a 400.
    const unavailableSeatIds = seatIds.filter((id) => draft.seats.get(id)?.status !== 'AVAILABLE');
    if (unavailableSeatIds.length > 0) return { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds };
    const over = overLimit(seatIds.length);
    if (over) return over;
    const cooling = coolingSeats((id) => draft.seats.get(id), seatIds, cmd.memberId, now);
    if (cooling.seatIds.length > 0) {
      return {
        code: 'HOLD_COOLDOWN',
        seatIds: cooling.seatIds,
        retryAfter: Math.max(1, Math.ceil((cooling.until - now) / 1000)),
      };
    }
    if (state.singleSeatGaps === 'PREVENT' && state.layout) {
      const gapSeatIds = gapsLeftBy(
        rowsOf(state.layout),
        (id) => draft.seats.get(id)?.status === 'AVAILABLE',
        seatIds,
      );
      if (gapSeatIds.length > 0) return { code: 'SINGLE_SEAT_GAP', gapSeatIds };
    }
    const moved = moveAll(draft, seatIds, 'SELECT', { status: 'HOLD', holdToken: cmd.holdToken });
    if (moved) return moved;
    draft.holds.set(cmd.holdToken, {
      memberId: cmd.memberId,
      seatIds: [...seatIds],
      phase: 'HOLD',
      expiresAt: now + cmd.ttlMs,
      createdAt: now,
      ...(rules.cooldownMs > 0 ? { cooldownMs: rules.cooldownMs } : {}),
    });
    return null;
  });
}

function extend(state: ScreeningSeats, cmd: CommandOf<'extend'>, now: number): Decision {
  const invalid =
    checkId('memberId', cmd.memberId) ??
    checkId('holdToken', cmd.holdToken) ??
    checkDuration('ttlMs', cmd.ttlMs) ??
    checkDuration('maxMs', cmd.maxMs);
  if (invalid) return fail(invalid);
  const held = holdOf(state, cmd.holdToken);
  if (!held || held.memberId !== cmd.memberId) return fail({ code: 'HOLD_NOT_FOUND' });
  if (held.phase === 'PAYMENT_PENDING') return fail({ code: 'PAYMENT_IN_PROGRESS' });
  if (held.expiresAt <= now) return fail({ code: 'HOLD_EXPIRED' });
  // A hold made before holds knew their creation: its last TTL started at most one TTL ago.
  const createdAt = held.createdAt ?? held.expiresAt - cmd.ttlMs;
  const expiresAt = Math.min(now + cmd.ttlMs, createdAt + cmd.maxMs);
  if (expiresAt <= held.expiresAt) return fail({ code: 'HOLD_EXTENSION_LIMIT', expiresAt: held.expiresAt });
  return withDraft(state, now, (draft) => {
    draft.holds.set(cmd.holdToken, { ...held, expiresAt, createdAt });
    draft.touched = true;
    return null;
  });
}

function configure(state: ScreeningSeats, cmd: CommandOf<'configure'>, now: number): Decision {
  if (cmd.salesOpenAt !== undefined && !Number.isFinite(cmd.salesOpenAt)) {
    return fail(validationFailed('salesOpenAt must be epoch milliseconds'));
  }
  if (
    cmd.singleSeatGaps !== undefined &&
    cmd.singleSeatGaps !== 'ALLOW' &&
    cmd.singleSeatGaps !== 'PREVENT'
  ) {
    return fail(validationFailed('singleSeatGaps must be ALLOW or PREVENT'));
  }
  if (
    cmd.prices !== undefined &&
    !Object.values(cmd.prices).every((price) => Number.isSafeInteger(price) && price >= 0)
  ) {
    return fail(validationFailed('prices must be non-negative integers'));
  }
  return withDraft(state, now, (draft) => {
    draft.touched = true;
    draft.config = {
      ...(cmd.salesOpenAt === undefined ? {} : { salesOpenAt: cmd.salesOpenAt }),
      ...(cmd.singleSeatGaps === undefined ? {} : { singleSeatGaps: cmd.singleSeatGaps }),
      ...(cmd.prices === undefined ? {} : { prices: { ...cmd.prices } }),
    };
    return null;
  });
}

function release(state: ScreeningSeats, cmd: CommandOf<'release'>, now: number): Decision {
  const invalid = checkId('memberId', cmd.memberId) ?? checkId('holdToken', cmd.holdToken);
  if (invalid) return fail(invalid);
  const held = holdOf(state, cmd.holdToken);
  if (!held || held.memberId !== cmd.memberId) return fail({ code: 'HOLD_NOT_FOUND' });
  if (held.phase === 'PAYMENT_PENDING') return fail({ code: 'PAYMENT_IN_PROGRESS' });
  return withDraft(state, now, (draft) => {
    // An expired hold was freed by the sweep already: releasing it again succeeds.
    if (!draft.holds.has(cmd.holdToken)) return null;
    draft.holds.delete(cmd.holdToken);
    const next = cmd.cooldown === false ? { status: 'AVAILABLE' as const } : freed(held, now);
    return moveAll(draft, held.seatIds, 'RELEASE', next);
  });
}

function startPayment(state: ScreeningSeats, cmd: CommandOf<'startPayment'>, now: number): Decision {
  const invalid =
    checkId('memberId', cmd.memberId) ??
    checkId('holdToken', cmd.holdToken) ??
    checkDuration('paymentDeadlineMs', cmd.paymentDeadlineMs) ??
    (cmd.paymentKey === undefined ? null : checkId('paymentKey', cmd.paymentKey));
  if (invalid) return fail(invalid);
  const held = holdOf(state, cmd.holdToken);
  if (!held || held.memberId !== cmd.memberId) return fail({ code: 'HOLD_NOT_FOUND' });
  if (held.phase === 'PAYMENT_PENDING') {
    // The payment that started it, retried with its key (its request may have died): resume it.
    const resumed = cmd.paymentKey !== undefined && held.paymentKey === cmd.paymentKey;
    return resumed ? withDraft(state, now, () => null) : fail({ code: 'PAYMENT_IN_PROGRESS' });
  }
  // Errors never change state; the hold's own deadline is due, so the next expire frees it.
  if (held.expiresAt <= now) return fail({ code: 'HOLD_EXPIRED' });
  return withDraft(state, now, (draft) => {
    draft.holds.set(cmd.holdToken, {
      ...held,
      phase: 'PAYMENT_PENDING',
      expiresAt: now + cmd.paymentDeadlineMs,
      ...(cmd.paymentKey === undefined ? {} : { paymentKey: cmd.paymentKey }),
    });
    return moveAll(draft, held.seatIds, 'START_PAYMENT', {
      status: 'PAYMENT_PENDING',
      holdToken: cmd.holdToken,
    });
  });
}

function confirmPayment(state: ScreeningSeats, cmd: CommandOf<'confirmPayment'>, now: number): Decision {
  const invalid = checkId('holdToken', cmd.holdToken) ?? checkId('reservationNo', cmd.reservationNo);
  if (invalid) return fail(invalid);
  const held = holdOf(state, cmd.holdToken);
  const alreadyUsed = carriesReservation(state, cmd.reservationNo);
  if (!held) {
    // Seats carrying the number mean this confirmation already happened.
    return alreadyUsed ? withDraft(state, now, () => null) : fail({ code: 'HOLD_NOT_FOUND' });
  }
  if (alreadyUsed) return fail(validationFailed('reservationNo already used by other seats'));
  return withDraft(state, now, (draft) => {
    draft.holds.delete(cmd.holdToken);
    return moveAll(draft, held.seatIds, 'CONFIRM_PAYMENT', {
      status: 'RESERVED',
      reservationNo: cmd.reservationNo,
    });
  });
}

function failPayment(state: ScreeningSeats, cmd: CommandOf<'failPayment'>, now: number): Decision {
  const invalid = checkId('holdToken', cmd.holdToken);
  if (invalid) return fail(invalid);
  const held = holdOf(state, cmd.holdToken);
  return withDraft(state, now, (draft) => {
    if (!held) return null;
    draft.holds.delete(cmd.holdToken);
    return moveAll(draft, held.seatIds, 'FAIL_PAYMENT', { status: 'AVAILABLE' });
  });
}

/** Seat ids of a reservation command: any count, distinct, all of this screening. */
function checkKnownSeats(draft: Draft, seatIds: readonly string[]): SeatError | null {
  const unknown = unknownSeats(draft, seatIds);
  return unknown.length > 0 ? validationFailed(`unknown seats: ${unknown.join(', ')}`) : null;
}

const carries = (draft: Draft, seatId: string, reservationNo: string): boolean => {
  const entry = draft.seats.get(seatId);
  return entry !== undefined && 'reservationNo' in entry && entry.reservationNo === reservationNo;
};

function cancelReservation(
  state: ScreeningSeats,
  cmd: CommandOf<'cancelReservation'>,
  now: number,
): Decision {
  const invalid =
    checkId('reservationNo', cmd.reservationNo) ??
    checkSeatIds(cmd.seatIds, 1, ANY_COUNT) ??
    (cmd.refundDeadlineMs === undefined ? null : checkDuration('refundDeadlineMs', cmd.refundDeadlineMs));
  if (invalid) return fail(invalid);
  return withDraft(state, now, (draft) => {
    const unknown = checkKnownSeats(draft, cmd.seatIds);
    if (unknown) return unknown;
    const foreign = cmd.seatIds.filter((id) => !carries(draft, id, cmd.reservationNo));
    if (foreign.length > 0) {
      return { code: 'RESERVATION_MISMATCH', reservationNo: cmd.reservationNo, seatIds: foreign };
    }
    // Seats already cancelled under this number stay as they are (a repeated cancel).
    const reserved = cmd.seatIds.filter((id) => draft.seats.get(id)?.status === 'RESERVED');
    const refundDueAt = cmd.refundDeadlineMs === undefined ? null : now + cmd.refundDeadlineMs;
    return moveAll(draft, reserved, 'CANCEL_RESERVATION', {
      status: 'RESERVATION_CANCELLED',
      reservationNo: cmd.reservationNo,
      refundDueAt,
    });
  });
}

function refundDone(state: ScreeningSeats, cmd: CommandOf<'refundDone'>, now: number): Decision {
  const invalid = checkId('reservationNo', cmd.reservationNo) ?? checkSeatIds(cmd.seatIds, 1, ANY_COUNT);
  if (invalid) return fail(invalid);
  return withDraft(state, now, (draft) => {
    const unknown = checkKnownSeats(draft, cmd.seatIds);
    if (unknown) return unknown;
    // A seat without the number was refunded already (and may be sold again): leave it alone.
    const mine = cmd.seatIds.filter((id) => carries(draft, id, cmd.reservationNo));
    return moveAll(draft, mine, 'REFUND_DONE', { status: 'AVAILABLE' });
  });
}

function takeOutOfSale(state: ScreeningSeats, cmd: CommandOf<'block' | 'disable'>, now: number): Decision {
  const invalid = checkSeatIds(cmd.seatIds, 1, ANY_COUNT);
  if (invalid) return fail(invalid);
  const target = cmd.type === 'block' ? 'BLOCKED' : 'DISABLED';
  return withDraft(state, now, (draft) => {
    const unknown = checkKnownSeats(draft, cmd.seatIds);
    if (unknown) return unknown;
    const unavailableSeatIds = cmd.seatIds.filter((id) => {
      const status = draft.seats.get(id)?.status;
      return status !== 'AVAILABLE' && status !== target;
    });
    if (unavailableSeatIds.length > 0) return { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds };
    const available = cmd.seatIds.filter((id) => draft.seats.get(id)?.status === 'AVAILABLE');
    return moveAll(draft, available, cmd.type === 'block' ? 'BLOCK' : 'DISABLE', { status: target });
  });
}

function putBackOnSale(state: ScreeningSeats, cmd: CommandOf<'unblock' | 'enable'>, now: number): Decision {
  const invalid = checkSeatIds(cmd.seatIds, 1, ANY_COUNT);
  if (invalid) return fail(invalid);
  return withDraft(state, now, (draft) => {
    const unknown = checkKnownSeats(draft, cmd.seatIds);
    if (unknown) return unknown;
    // Already on sale: nothing to do. Anything else that is not blocked/disabled is refused by the table.
    const off = cmd.seatIds.filter((id) => draft.seats.get(id)?.status !== 'AVAILABLE');
    return moveAll(draft, off, cmd.type === 'unblock' ? 'UNBLOCK' : 'ENABLE', { status: 'AVAILABLE' });
  });
}
