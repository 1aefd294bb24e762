// One screening's seats as plain JSON-safe data (what a coordinator stores), and pure queries on it.
// Invariant: a seat is HOLD/PAYMENT_PENDING exactly when one hold in `holds` lists it under its token.
import { checkId, checkSeatIds } from './hold-rules.ts';
import { type SeatError, validationFailed } from './seat-errors.ts';
import type { SeatState } from './seat-state.ts';

/** A seat's status plus what that status needs; the union keeps impossible combinations out. */
export type SeatEntry =
  | {
      readonly status: 'AVAILABLE';
      /** Set when a member released this seat or let it expire: that member may not hold it before `until`. */
      readonly cooling?: { readonly memberId: string; readonly until: number };
    }
  | { readonly status: 'BLOCKED' | 'DISABLED' }
  | { readonly status: 'HOLD' | 'PAYMENT_PENDING'; readonly holdToken: string }
  | { readonly status: 'RESERVED'; readonly reservationNo: string }
  | {
      readonly status: 'RESERVATION_CANCELLED';
      readonly reservationNo: string;
      /** When the adapter should retry the refund (epoch ms), or null when nobody waits on it here. */
      readonly refundDueAt: number | null;
    };

/** The states Postgres owns; a cold coordinator is rebuilt from these. */
export type DurableSeatEntry = Exclude<SeatEntry, { readonly status: 'HOLD' | 'PAYMENT_PENDING' }>;

export type HoldPhase = 'HOLD' | 'PAYMENT_PENDING';

export interface Hold {
  readonly memberId: string;
  readonly seatIds: readonly string[];
  readonly phase: HoldPhase;
  /** HOLD: when the TTL ends. PAYMENT_PENDING: the payment deadline (then settled, never just released). */
  readonly expiresAt: number;
  /**
   * PAYMENT_PENDING: the Idempotency-Key of the payment that started it (the member's own), so a
   * retry with that key resumes it, and a settlement can give that key its final answer.
   */
  readonly paymentKey?: string;
  /** When the hold was made (epoch ms): extensions are capped from here. Absent on holds made before v1.1. */
  readonly createdAt?: number;
  /** How long its member may not hold these seats again once it is released or expires. */
  readonly cooldownMs?: number;
}

/** Whether a screening refuses holds that leave a single seat alone in its row (API.md, Single-seat gaps). */
export type SingleSeatGaps = 'ALLOW' | 'PREVENT';

/** Where a seat is: what the gap rule and best-available need of the layout. */
export interface SeatPlace {
  readonly seatId: string;
  readonly rowLabel: string;
  readonly seatNo: number;
  readonly type: string;
}

export interface ScreeningSeats {
  readonly screeningId: string;
  /** +1 for every committed change batch, so live clients can spot a gap. */
  readonly version: number;
  readonly salesOpenAt: number;
  readonly startTime: number;
  readonly seats: Readonly<Record<string, SeatEntry>>;
  /** Keyed by hold token. */
  readonly holds: Readonly<Record<string, Hold>>;
  /** Absent means ALLOW. */
  readonly singleSeatGaps?: SingleSeatGaps;
  /** Price per seat type, as the seat map shows it. */
  readonly prices?: Readonly<Record<string, number>>;
  /**
   * The seats' rows and numbers, in layout order (row, then number). Not stored with the state: the
   * coordinator attaches it from the catalog. Without it no hold can be checked for gaps or chosen.
   */
  readonly layout?: readonly SeatPlace[];
}

/** What is broadcast: a seat's status after a committed batch. */
export interface SeatChange {
  readonly seatId: string;
  readonly status: SeatState;
}

export type SeatSeed = { readonly seatId: string } & DurableSeatEntry;

export interface ScreeningSeatsInit {
  readonly screeningId: string;
  readonly salesOpenAt: number;
  readonly startTime: number;
  readonly seats: readonly SeatSeed[];
  /** Carry on from the last version clients saw; defaults to 0. */
  readonly version?: number;
  readonly singleSeatGaps?: SingleSeatGaps;
  readonly prices?: Readonly<Record<string, number>>;
  readonly layout?: readonly SeatPlace[];
}

/** A screening's seats with no holds, from the catalog and Postgres' durable seat states. */
export function createScreeningSeats(
  init: ScreeningSeatsInit,
): { readonly ok: true; readonly state: ScreeningSeats } | { readonly ok: false; readonly error: SeatError } {
  const invalid =
    checkId('screeningId', init.screeningId) ??
    checkSeatIds(
      init.seats.map((s) => s.seatId),
      0,
      Number.MAX_SAFE_INTEGER,
    );
  if (invalid) return { ok: false, error: invalid };
  if (!Number.isFinite(init.salesOpenAt) || !Number.isFinite(init.startTime)) {
    return { ok: false, error: validationFailed('salesOpenAt and startTime must be epoch milliseconds') };
  }
  const version = init.version ?? 0;
  if (!Number.isSafeInteger(version) || version < 0) {
    return { ok: false, error: validationFailed('version must be a non-negative integer') };
  }
  const seats: [string, SeatEntry][] = [];
  for (const seed of init.seats) {
    const entry = durableEntry(seed);
    if (!entry)
      return { ok: false, error: validationFailed(`seat ${seed.seatId}: not a valid durable seat state`) };
    seats.push([seed.seatId, entry]);
  }
  const state: ScreeningSeats = {
    screeningId: init.screeningId,
    version,
    salesOpenAt: init.salesOpenAt,
    startTime: init.startTime,
    // fromEntries defines own properties, so a seat id like "__proto__" stays a plain key
    seats: Object.fromEntries(seats),
    holds: {},
    ...(init.singleSeatGaps === undefined ? {} : { singleSeatGaps: init.singleSeatGaps }),
    ...(init.prices === undefined ? {} : { prices: init.prices }),
    ...(init.layout === undefined ? {} : { layout: init.layout }),
  };
  return { ok: true, state };
}

// Copies only the fields the status needs, so stray columns of a database row never reach the state.
function durableEntry(seed: SeatSeed): DurableSeatEntry | null {
  switch (seed.status) {
    case 'AVAILABLE':
    case 'BLOCKED':
    case 'DISABLED':
      return { status: seed.status };
    case 'RESERVED':
      return checkId('reservationNo', seed.reservationNo)
        ? null
        : { status: 'RESERVED', reservationNo: seed.reservationNo };
    case 'RESERVATION_CANCELLED': {
      const refundDueAt = seed.refundDueAt ?? null;
      if (
        checkId('reservationNo', seed.reservationNo) ||
        (refundDueAt !== null && !Number.isFinite(refundDueAt))
      ) {
        return null;
      }
      return { status: 'RESERVATION_CANCELLED', reservationNo: seed.reservationNo, refundDueAt };
    }
    default:
      return null;
  }
}

/** Own-property lookup: seat ids and tokens are opaque, "constructor" must not find Object's. */
export const seatOf = (state: ScreeningSeats, seatId: string): SeatEntry | undefined =>
  Object.hasOwn(state.seats, seatId) ? state.seats[seatId] : undefined;

export const holdOf = (state: ScreeningSeats, holdToken: string): Hold | undefined =>
  Object.hasOwn(state.holds, holdToken) ? state.holds[holdToken] : undefined;

/** A hold still keeps its seats: in payment (until settled), or before its TTL ends. */
export const isLive = (hold: Hold, now: number): boolean =>
  hold.phase === 'PAYMENT_PENDING' || hold.expiresAt > now;

export function snapshot(state: ScreeningSeats): { version: number; seats: SeatChange[] } {
  return {
    version: state.version,
    seats: Object.entries(state.seats).map(([seatId, entry]) => ({ seatId, status: entry.status })),
  };
}

export interface LiveHold {
  readonly holdToken: string;
  readonly seatIds: readonly string[];
  readonly expiresAt: number;
  readonly phase: HoldPhase;
}

/** A member's live holds, for GET /api/me/holds. */
export function holdsOf(state: ScreeningSeats, memberId: string, now: number): LiveHold[] {
  return Object.entries(state.holds)
    .filter(([, hold]) => hold.memberId === memberId && isLive(hold, now))
    .map(([holdToken, hold]) => ({
      holdToken,
      seatIds: hold.seatIds,
      expiresAt: hold.expiresAt,
      phase: hold.phase,
    }));
}

/** Seats counted against a member's limit: HOLD and PAYMENT_PENDING seats of their live holds. */
export function heldSeatCount(state: ScreeningSeats, memberId: string, now: number): number {
  return holdsOf(state, memberId, now).reduce((sum, hold) => sum + hold.seatIds.length, 0);
}

/** AVAILABLE seats, counting seats of expired (not yet swept) holds as available. */
export function countAvailable(state: ScreeningSeats, now: number): number {
  let count = 0;
  for (const entry of Object.values(state.seats)) {
    if (entry.status === 'AVAILABLE') count++;
    else if (entry.status === 'HOLD') {
      const hold = holdOf(state, entry.holdToken);
      if (hold && !isLive(hold, now)) count++;
    }
  }
  return count;
}

/**
 * Seats whose status is AVAILABLE. Right after a command this is countAvailable at the command's
 * instant (every command that succeeds first frees the holds that expired by then), so a
 * coordinator keeps the count from here by availableChange, without counting every seat again.
 */
export function countAvailableByStatus(state: ScreeningSeats): number {
  let count = 0;
  for (const entry of Object.values(state.seats)) if (entry.status === 'AVAILABLE') count++;
  return count;
}

/** How the seats a decision wrote change countAvailableByStatus of the state it was made on. */
export function availableChange(
  state: ScreeningSeats,
  written: ReadonlyMap<string, SeatEntry | undefined>,
): number {
  let change = 0;
  for (const [seatId, after] of written) {
    const was = seatOf(state, seatId)?.status === 'AVAILABLE';
    const is = after?.status === 'AVAILABLE';
    if (was !== is) change += is ? 1 : -1;
  }
  return change;
}

/** nextDeadline(state) for each state object once: a state object is never changed, only replaced. */
const earliestOf = new WeakMap<ScreeningSeats, number | null>();

/** `state`, whose nextDeadline is known to be `deadline` (a decision worked it out from its writes). */
export function rememberDeadline(state: ScreeningSeats, deadline: number | null): ScreeningSeats {
  earliestOf.set(state, deadline);
  return state;
}

/** nextDeadline(state), remembered per state, for the checks each command makes against it. */
export function earliestDeadline(state: ScreeningSeats): number | null {
  let earliest = earliestOf.get(state);
  if (earliest === undefined) {
    earliest = nextDeadline(state);
    earliestOf.set(state, earliest);
  }
  return earliest;
}

/**
 * The earliest deadline (epoch ms) among hold TTLs, payment deadlines and refund retries, or null.
 * It can lie in the past while a payment or refund waits to be settled: the adapter backs off itself,
 * or asks for the earliest deadline after a given instant only.
 */
export function nextDeadline(state: ScreeningSeats, after = Number.NEGATIVE_INFINITY): number | null {
  return deadlineAmong(Object.values(state.holds), Object.values(state.seats), after);
}

/** nextDeadline of whatever holds and seats these are (a state's, or a draft's). */
export function deadlineAmong(
  holds: Iterable<Hold>,
  seats: Iterable<SeatEntry>,
  after = Number.NEGATIVE_INFINITY,
): number | null {
  let earliest: number | null = null;
  const consider = (at: number) => {
    if (at > after && (earliest === null || at < earliest)) earliest = at;
  };
  for (const hold of holds) consider(hold.expiresAt);
  for (const entry of seats) {
    const due = refundDue(entry);
    if (due !== null) consider(due);
  }
  return earliest;
}

/** When a seat's refund is to be retried (RESERVATION_CANCELLED with a retry pending), or null. */
export const refundDue = (entry: SeatEntry | undefined): number | null =>
  entry?.status === 'RESERVATION_CANCELLED' ? entry.refundDueAt : null;

export interface DuePayment {
  readonly holdToken: string;
  readonly memberId: string;
  readonly seatIds: readonly string[];
  readonly deadline: number;
  /** The Idempotency-Key the payment started with, when known. */
  readonly paymentKey?: string;
}

/** Payments past their deadline: settle each from the payment records with confirmPayment or failPayment. */
export function duePayments(state: ScreeningSeats, now: number): DuePayment[] {
  return Object.entries(state.holds)
    .filter(([, hold]) => hold.phase === 'PAYMENT_PENDING' && hold.expiresAt <= now)
    .map(([holdToken, hold]) => ({
      holdToken,
      memberId: hold.memberId,
      seatIds: hold.seatIds,
      deadline: hold.expiresAt,
      ...(hold.paymentKey === undefined ? {} : { paymentKey: hold.paymentKey }),
    }));
}

export interface DueRefund {
  readonly reservationNo: string;
  readonly seatIds: readonly string[];
}

/** Cancelled reservations whose refund retry is due: finish each refund, then send refundDone. */
export function dueRefunds(state: ScreeningSeats, now: number): DueRefund[] {
  const byReservation = new Map<string, string[]>();
  for (const [seatId, entry] of Object.entries(state.seats)) {
    if (entry.status !== 'RESERVATION_CANCELLED' || entry.refundDueAt === null || entry.refundDueAt > now) {
      continue;
    }
    const seatIds = byReservation.get(entry.reservationNo) ?? [];
    seatIds.push(seatId);
    byReservation.set(entry.reservationNo, seatIds);
  }
  return [...byReservation].map(([reservationNo, seatIds]) => ({ reservationNo, seatIds }));
}
