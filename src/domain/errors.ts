// The stable error codes of the API contract. Low-level code throws or returns these; only the HTTP
// layer (src/http/problem.ts) decides what they look like on the wire, HTTP status included.
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'PAYMENT_DECLINED',
  'FORBIDDEN',
  'ADMISSION_REQUIRED',
  'NOT_FOUND',
  'HOLD_NOT_FOUND',
  'LOGIN_ID_TAKEN',
  'SEAT_NOT_AVAILABLE',
  'HOLD_LIMIT_EXCEEDED',
  'HOLD_EXPIRED',
  'SCREENING_OVERLAP',
  'CANCELLATION_CLOSED',
  'SALES_NOT_OPEN',
  'SALES_CLOSED',
  'QUEUE_NOT_OPEN',
  'RESOURCE_IN_USE',
  'IDEMPOTENCY_KEY_IN_USE',
  'PAYMENT_IN_PROGRESS',
  'RESERVATION_MISMATCH',
  'INVALID_TRANSITION',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'PAYMENT_GATEWAY_ERROR',
  'SERVICE_UNAVAILABLE',
  // v1.1: seat choice and denial-of-inventory rules
  'NOT_ENOUGH_SEATS',
  'SINGLE_SEAT_GAP',
  'HOLD_EXTENSION_LIMIT',
  'HOLD_COOLDOWN',
  'SCREENING_LIMIT_EXCEEDED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failure with a contract code; `extra` fields are added to the problem document as they are. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}) {
    super(detail ?? code);
    this.code = code;
    this.extra = extra;
  }
}

export const isErrorCode = (code: string): code is ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(code);
