// The stable error codes of the API contract. Low-level code throws or returns these; only the HTTP
// layer (src/http/problem.ts) decides what they look like on the wire.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

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

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);
