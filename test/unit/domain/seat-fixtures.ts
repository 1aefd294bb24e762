// Builders shared by the seat domain tests: a screening in a known state, reached only through `decide`.
// Frozen inputs make any mutation by the reducer throw instead of passing silently.
import { expect } from 'vitest';
import type {
  Decision,
  ScreeningSeats,
  SeatCommand,
  SeatError,
  SeatSeed,
} from '../../../src/domain/seats/index.ts';
import { createScreeningSeats, decide, seatOf } from '../../../src/domain/seats/index.ts';

export const SALES_OPEN = Date.UTC(2030, 0, 1, 9, 0, 0);
export const START = Date.UTC(2030, 0, 8, 19, 0, 0);
/** Well inside the sales window. */
export const NOW = SALES_OPEN + 60_000;
export const TTL = 300_000;
export const PAY = 60_000;

export const seatIds = (count: number, row = 'A'): string[] =>
  Array.from({ length: count }, (_, i) => `${row}${i + 1}`);

export function screening(
  ids: readonly string[] = seatIds(12),
  seeds: readonly SeatSeed[] = [],
): ScreeningSeats {
  const seeded = new Set(seeds.map((s) => s.seatId));
  const result = createScreeningSeats({
    screeningId: 'scr-1',
    salesOpenAt: SALES_OPEN,
    startTime: START,
    seats: [
      ...ids.filter((id) => !seeded.has(id)).map((seatId) => ({ seatId, status: 'AVAILABLE' as const })),
      ...seeds,
    ],
  });
  if (!result.ok) throw new Error(`bad fixture: ${JSON.stringify(result.error)}`);
  return deepFreeze(result.state);
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** decide on a frozen input, checking the input came back untouched. */
export function step(state: ScreeningSeats, command: SeatCommand, now: number): Decision {
  const before = structuredClone(state);
  const result = decide(deepFreeze(state), command, now);
  expect(state).toEqual(before);
  if (result.ok) deepFreeze(result.state);
  return result;
}

/** A command that must succeed; returns the whole success. */
export function ok(state: ScreeningSeats, command: SeatCommand, now: number) {
  const result = step(state, command, now);
  if (!result.ok) throw new Error(`expected ${command.type} to succeed, got ${JSON.stringify(result.error)}`);
  return result;
}

/** A command that must fail; returns the error. */
export function refused(state: ScreeningSeats, command: SeatCommand, now: number): SeatError {
  const result = step(state, command, now);
  if (result.ok)
    throw new Error(`expected ${command.type} to fail, got events ${JSON.stringify(result.events)}`);
  return result.error;
}

export const statusOf = (state: ScreeningSeats, seatId: string) => seatOf(state, seatId)?.status;
