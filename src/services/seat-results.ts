// Turns a coordinator's typed result into its value, or into the contract's error.
import { AppError, isErrorCode } from '../domain/errors.ts';
import { MAX_HELD_SEATS_PER_MEMBER } from '../domain/seats/index.ts';
import type { SeatResult } from '../ports/seat-coordinator.ts';

const DETAILS: Record<string, string> = {
  SEAT_NOT_AVAILABLE: 'some of those seats are no longer available',
  HOLD_LIMIT_EXCEEDED: `you may hold at most ${MAX_HELD_SEATS_PER_MEMBER} seats of a screening at a time`,
  HOLD_NOT_FOUND: 'no such hold',
  HOLD_EXPIRED: 'the hold has expired',
  SALES_NOT_OPEN: 'sales for this screening have not opened yet',
  SALES_CLOSED: 'sales for this screening are closed',
  PAYMENT_IN_PROGRESS: 'payment has already started for this hold',
  NOT_FOUND: 'no such screening',
  NOT_ENOUGH_SEATS: 'no seats fit that request',
  SINGLE_SEAT_GAP:
    'that hold would leave a single seat alone in its row; choose seats next to it or include it',
  HOLD_EXTENSION_LIMIT: 'the hold cannot be extended further',
  HOLD_COOLDOWN: 'you gave these seats back a moment ago; choose other seats or try again later',
  SCREENING_LIMIT_EXCEEDED: 'you hold seats in too many other screenings; pay for or release those first',
};

export function unwrap<T>(result: SeatResult<T>): T {
  if (result.ok) return result.value;
  const { code, ...extra } = result.error;
  if (!isErrorCode(code)) throw new Error(`coordinator answered an unknown code ${code}`);
  if (code === 'VALIDATION_FAILED') {
    const message = 'message' in extra ? String(extra.message) : 'invalid seat request';
    throw new AppError(code, message, { errors: [{ path: 'seatIds', message }] });
  }
  // Instants leave the API as ISO-8601 strings.
  const fields =
    'expiresAt' in extra && typeof extra.expiresAt === 'number'
      ? { ...extra, expiresAt: new Date(extra.expiresAt).toISOString() }
      : extra;
  throw new AppError(code, DETAILS[code] ?? code.toLowerCase().replaceAll('_', ' '), fields);
}
