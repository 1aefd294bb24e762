// A failed API call as the page sees it: the problem+json `code` when the API sent one, NETWORK when
// nothing came back, and a code guessed from the status for anything else (a proxy's 502 page).
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, detail = code, extra: Record<string, unknown> = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  get fieldErrors(): FieldError[] {
    const errors = this.extra.errors;
    return Array.isArray(errors) ? (errors as FieldError[]) : [];
  }

  /** Seat ids a 409 SEAT_NOT_AVAILABLE named, if any. */
  get unavailableSeatIds(): string[] {
    const ids = this.extra.unavailableSeatIds ?? this.extra.seatIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Seats a 409 SINGLE_SEAT_GAP says the hold would have left alone in their row. */
  get gapSeatIds(): string[] {
    const ids = this.extra.gapSeatIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  get retryAfterSeconds(): number | undefined {
    const seconds = Number(this.extra.retryAfter);
    return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
  }
}

/** The code for a response that carried no problem document. */
export function codeForStatus(status: number): string {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVICE_UNAVAILABLE';
  return 'UNKNOWN';
}
