// The one error mapper: every failure leaves the API as RFC 9457 application/problem+json with a
// stable `code`, and the HTTP status of each code is decided here. Postgres errors caused by input
// become 400/409, never a 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { classifyPgError } from '../adapters/db/pg-errors.ts';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { log } from '../log.ts';

/** Each contract code's HTTP status: decided here, at the edge, and nowhere else. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  ADMISSION_REQUIRED: 403,
  NOT_FOUND: 404,
  HOLD_NOT_FOUND: 404,
  LOGIN_ID_TAKEN: 409,
  SEAT_NOT_AVAILABLE: 409,
  HOLD_LIMIT_EXCEEDED: 409,
  HOLD_EXPIRED: 409,
  SCREENING_OVERLAP: 409,
  CANCELLATION_CLOSED: 409,
  SALES_NOT_OPEN: 409,
  SALES_CLOSED: 409,
  QUEUE_NOT_OPEN: 409,
  RESOURCE_IN_USE: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYMENT_IN_PROGRESS: 409,
  RESERVATION_MISMATCH: 409,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  PAYMENT_GATEWAY_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  NOT_ENOUGH_SEATS: 409,
  SINGLE_SEAT_GAP: 409,
  HOLD_EXTENSION_LIMIT: 409,
  HOLD_COOLDOWN: 409,
  SCREENING_LIMIT_EXCEEDED: 409,
} as const satisfies Record<ErrorCode, number>;

const TITLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHORIZED: 'Authentication is required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  INTERNAL_ERROR: 'Something went wrong on our side',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  [extra: string]: unknown;
}

/** Each code's `type` and `title`, made once: a sale answers thousands of 409s a second. */
const NAMES = Object.fromEntries(
  (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [
    code,
    {
      type: `https://marquee.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title:
        TITLES[code] ??
        code
          .toLowerCase()
          .replaceAll('_', ' ')
          .replace(/^./, (c) => c.toUpperCase()),
    },
  ]),
) as Record<ErrorCode, { type: string; title: string }>;

export function problemBody(
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  const { type, title } = NAMES[code];
  return { type, title, status: ERROR_STATUS[code], code, detail, ...extra };
}

/** Built through the context, so headers set by middleware (X-Request-Id) are kept. */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return c.body(
    JSON.stringify(problemBody(code, detail, extra)),
    ERROR_STATUS[code] as ContentfulStatusCode,
    {
      'content-type': 'application/problem+json',
      ...headers,
    },
  );
}

/** Answers that say when to ask again: the Retry-After header, and `retryAfter` in the body. */
const RETRY_LATER = new Set<string>(['RATE_LIMITED', 'HOLD_COOLDOWN', 'IDEMPOTENCY_KEY_IN_USE']);

/** Maps anything thrown to a problem response; constraint names pick the contract code. */
export function toProblem(error: unknown, c: Context): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = RETRY_LATER.has(error.code)
      ? { 'retry-after': String(error.extra.retryAfter ?? 1) }
      : {};
    return problemResponse(c, error.code, error.message, error.extra, headers);
  }
  const pg = classifyPgError(error);
  if (pg?.kind === 'conflict') {
    if (pg.constraint === 'screenings_no_overlap')
      return problemResponse(c, 'SCREENING_OVERLAP', 'another screening on this screen overlaps that time');
    if (pg.constraint === 'members_login_id_unique')
      return problemResponse(c, 'LOGIN_ID_TAKEN', 'that login id is taken');
    if (pg.constraint === 'reservation_seats_one_active_idx')
      return problemResponse(c, 'SEAT_NOT_AVAILABLE', 'a seat is already sold');
    if (pg.code === '23503')
      return problemResponse(c, 'RESOURCE_IN_USE', 'the resource is referenced by another one');
    return problemResponse(c, 'CONFLICT', 'the change conflicts with the current data');
  }
  if (pg?.kind === 'bad-input')
    return problemResponse(c, 'VALIDATION_FAILED', 'a value is out of range or malformed');
  if (pg?.kind === 'unavailable' || isConnectionFailure(error))
    return problemResponse(c, 'SERVICE_UNAVAILABLE', 'the database is unreachable; try again shortly');
  if (error instanceof HTTPException) {
    if (error.status === 413) return problemResponse(c, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    if (error.status === 401)
      return problemResponse(c, 'UNAUTHORIZED', error.message || 'authentication is required');
    if (error.status === 400)
      return problemResponse(c, 'VALIDATION_FAILED', error.message || 'malformed request');
    // A body that is not JSON on a JSON route is bad input like any other (API.md: 400).
    if (error.status === 415)
      return problemResponse(c, 'VALIDATION_FAILED', 'the body must be application/json', {
        errors: [{ path: '(body)', message: 'send content-type: application/json' }],
      });
  }
  log('error', 'unhandled error', { requestId: c.get('requestId'), error: describeError(error) });
  return problemResponse(c, 'INTERNAL_ERROR', 'an unexpected error occurred');
}

/**
 * What a log may say about an error. A failed query's message and stack carry its parameters, which
 * are whatever the caller sent (a login id, a card number): the log keeps the query text and the
 * driver's own message, never the parameters.
 */
function describeError(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  const { name, message, stack } = error;
  if (!('params' in error) || !('query' in error)) return { name, message, stack };
  const safe = `Failed query: ${String(error.query)}`;
  const cause = error.cause instanceof Error ? error.cause.message : String(error.cause ?? '');
  return { name, message: safe, cause, stack: stack?.replace(message, safe) };
}

function isConnectionFailure(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  // The Neon driver's words, and node-postgres' (Node, Deno, Hyperdrive) for a socket that broke.
  return /ECONNREFUSED|ECONNRESET|EPIPE|connection terminated|WebSocket|timeout exceeded when trying to connect|Connection terminated|not queryable/i.test(
    text,
  );
}
