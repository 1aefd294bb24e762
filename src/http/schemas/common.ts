// Schemas shared by several routes; each route module keeps its own beside it. `problem()` is how a
// route documents its errors: the `code`s that response can carry, as an enum, each with an example
// body built by the same problemBody the error mapper sends.
import { z } from '@hono/zod-openapi';
import type { ErrorCode } from '../../domain/errors.ts';
import { ERROR_STATUS, problemBody } from '../problem.ts';

const CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://marquee.dev/problems/seat-not-available' }),
    title: z.string().openapi({ example: 'Seat not available' }),
    status: z.number().int().openapi({ example: 409 }),
    code: z.enum(CODES).openapi({ description: 'Stable, UPPER_SNAKE; match on it and on `status`' }),
    detail: z.string().openapi({ example: 'some of those seats are no longer available' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'VALIDATION_FAILED: what is wrong, field by field' }),
    unavailableSeatIds: z
      .array(z.string())
      .optional()
      .openapi({ description: 'SEAT_NOT_AVAILABLE on a hold: the requested seats that are taken' }),
    screeningIds: z.array(z.string()).optional().openapi({
      description:
        'SEAT_NOT_AVAILABLE on disable: the screenings where the seat is in use; SCREENING_LIMIT_EXCEEDED: the other screenings the member holds seats in',
    }),
    retryAfter: z.number().int().optional().openapi({
      description:
        'RATE_LIMITED: seconds until the window ends; HOLD_COOLDOWN: seconds until the seats may be held again; IDEMPOTENCY_KEY_IN_USE: seconds until the lease of the request holding the key ends, when a retry resumes or answers it (each also the Retry-After header)',
    }),
    gapSeatIds: z
      .array(z.string())
      .optional()
      .openapi({ description: 'SINGLE_SEAT_GAP: the seats the hold would leave alone in their rows' }),
    seatIds: z.array(z.string()).optional().openapi({
      description: 'HOLD_COOLDOWN: the requested seats the member gave back or let expire lately',
    }),
  })
  .openapi('Problem', {
    description:
      'RFC 9457 problem details (`application/problem+json`). Codes may carry more fields than these.',
  });

/** The detail and extra fields each code's example shows (the words the code really sends). */
const EXAMPLES: Record<ErrorCode, [detail: string, extra?: Record<string, unknown>]> = {
  VALIDATION_FAILED: [
    'the request does not match the schema',
    { errors: [{ path: 'seatIds', message: 'Too big: expected array to have <=8 items' }] },
  ],
  UNAUTHORIZED: ['a valid bearer token is required'],
  INVALID_CREDENTIALS: ['login id or password is wrong'],
  PAYMENT_DECLINED: ['the card was declined; nothing was charged'],
  FORBIDDEN: ['this route is for admins'],
  ADMISSION_REQUIRED: ['this sale has a waiting room: hold with the Admission-Token it gave you'],
  NOT_FOUND: ['no such screening'],
  HOLD_NOT_FOUND: ['no such hold'],
  LOGIN_ID_TAKEN: ['that login id is taken'],
  SEAT_NOT_AVAILABLE: [
    'some of those seats are no longer available',
    { unavailableSeatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'] },
  ],
  HOLD_LIMIT_EXCEEDED: [
    'you may hold at most 8 seats of a screening at a time',
    { limit: 8, heldSeats: 6, requestedSeats: 3 },
  ],
  HOLD_EXPIRED: ['the hold has expired'],
  SCREENING_OVERLAP: ['another screening on this screen overlaps that time'],
  CANCELLATION_CLOSED: ['cancellation closes 20 minutes before the start'],
  SALES_NOT_OPEN: ['sales for this screening have not opened yet'],
  SALES_CLOSED: ['sales for this screening are closed'],
  QUEUE_NOT_OPEN: ['the waiting room opens at 2025-06-01T09:30:00.000Z'],
  RESOURCE_IN_USE: ['the movie has screenings; delete them first'],
  IDEMPOTENCY_KEY_IN_USE: ['a request with this Idempotency-Key is still being processed'],
  PAYMENT_IN_PROGRESS: ['payment has already started for this hold'],
  RESERVATION_MISMATCH: ['the seats belong to another reservation'],
  INVALID_TRANSITION: ['a seat cannot make that move'],
  CONFLICT: ['a theater of that name exists'],
  PAYLOAD_TOO_LARGE: ['the request body is too large'],
  IDEMPOTENCY_KEY_REUSED: ['this Idempotency-Key was used with a different request'],
  RATE_LIMITED: ['too many requests; try again in 12 s', { retryAfter: 12 }],
  INTERNAL_ERROR: ['an unexpected error occurred'],
  PAYMENT_GATEWAY_ERROR: ['the payment gateway timed out; nothing was charged'],
  SERVICE_UNAVAILABLE: ['the database is unreachable; try again shortly'],
  NOT_ENOUGH_SEATS: ['no seats fit that request'],
  SINGLE_SEAT_GAP: [
    'that hold would leave a single seat alone in its row',
    { gapSeatIds: ['9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'] },
  ],
  HOLD_EXTENSION_LIMIT: ['the hold cannot be extended further', { expiresAt: '2025-06-01T09:45:00.000Z' }],
  HOLD_COOLDOWN: [
    'you gave these seats back a moment ago; try again in 95 s',
    { seatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'], retryAfter: 95 },
  ],
  SCREENING_LIMIT_EXCEEDED: [
    'you hold seats in 2 other screenings already; pay for or release those first',
    {
      limit: 2,
      screeningIds: ['5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d', '7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a'],
    },
  ],
};

/**
 * A problem+json response entry for createRoute's `responses`: `code` is an enum of `codes`, all of
 * one HTTP status, and each code has an example. The description says when they happen.
 */
export const problem = (codes: ErrorCode | readonly ErrorCode[], description?: string) => {
  const list = (typeof codes === 'string' ? [codes] : [...codes]) as [ErrorCode, ...ErrorCode[]];
  return {
    description: description ?? list.join(', '),
    content: {
      'application/problem+json': {
        schema: ProblemSchema.extend({ code: z.enum(list) }),
        examples: Object.fromEntries(
          list.map((code) => {
            const [detail, extra] = EXAMPLES[code];
            return [code, { value: problemBody(code, detail, extra) }];
          }),
        ),
      },
    },
  };
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body. */
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
