// Hold limits (API.md "Holds and payment") and the input guards every seat command shares.
// The reducer re-checks its input even behind zod: it is the last line before a seat changes.
import { type SeatError, validationFailed } from './seat-errors.ts';

export const MAX_SEATS_PER_HOLD = 8;
export const MAX_HELD_SEATS_PER_MEMBER = 8;

export interface HoldRules {
  /** Seats one hold may take. */
  readonly maxSeatsPerHold: number;
  /** Seats a member may keep in live holds (HOLD and PAYMENT_PENDING) of one screening. */
  readonly maxHeldSeatsPerMember: number;
  /**
   * How long a member may not hold seats it released or let expire (0: no cool-down). The
   * coordinators set it from HOLD_COOLDOWN_SECONDS; each hold carries it from its creation.
   */
  readonly cooldownMs: number;
}

export const HOLD_RULES: HoldRules = {
  maxSeatsPerHold: MAX_SEATS_PER_HOLD,
  maxHeldSeatsPerMember: MAX_HELD_SEATS_PER_MEMBER,
  cooldownMs: 0,
};

/** Null when `seatIds` are min..max distinct non-empty strings. */
export function checkSeatIds(seatIds: readonly string[], min: number, max: number): SeatError | null {
  if (!Array.isArray(seatIds)) return validationFailed('seatIds must be an array');
  if (seatIds.length < min || seatIds.length > max) {
    return validationFailed(`seatIds must hold ${min}..${max} seats, got ${seatIds.length}`);
  }
  if (!seatIds.every(isId)) return validationFailed('seatIds must be non-empty strings');
  if (new Set(seatIds).size !== seatIds.length) return validationFailed('seatIds must be distinct');
  return null;
}

/** Null when `value` is a non-empty string. */
export function checkId(name: string, value: string): SeatError | null {
  return isId(value) ? null : validationFailed(`${name} must be a non-empty string`);
}

/** Null when `ms` is a positive safe integer of milliseconds. */
export function checkDuration(name: string, ms: number): SeatError | null {
  return Number.isSafeInteger(ms) && ms > 0 ? null : validationFailed(`${name} must be a positive integer`);
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
