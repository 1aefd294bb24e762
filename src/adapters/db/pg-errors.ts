// Postgres error codes turned into what the API says: bad input is the caller's 400, a constraint
// that refuses a write is a 409, and nothing the client sends becomes a 500.
export interface PgErrorInfo {
  code: string;
  constraint?: string;
  detail?: string;
}

/** Finds the Postgres error inside whatever drizzle or the driver wrapped it in. */
export function pgErrorOf(error: unknown): PgErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (typeof current === 'object' && current !== null) {
      const candidate = current as {
        code?: unknown;
        constraint?: unknown;
        detail?: unknown;
        cause?: unknown;
      };
      if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
        return {
          code: candidate.code,
          constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
          detail: typeof candidate.detail === 'string' ? candidate.detail : undefined,
        };
      }
      current = candidate.cause;
    } else {
      return undefined;
    }
  }
  return undefined;
}

export type PgErrorKind = 'conflict' | 'bad-input' | 'unavailable';

const KINDS: Record<string, PgErrorKind> = {
  '23505': 'conflict', // unique_violation
  '23P01': 'conflict', // exclusion_violation
  '23503': 'conflict', // foreign_key_violation
  '22P02': 'bad-input', // invalid_text_representation
  '22003': 'bad-input', // numeric_value_out_of_range
  '22021': 'bad-input', // character_not_in_repertoire (a NUL byte in text)
  '22007': 'bad-input', // invalid_datetime_format
  '22008': 'bad-input', // datetime_field_overflow
  '23514': 'bad-input', // check_violation
  '23502': 'bad-input', // not_null_violation
  '57P01': 'unavailable', // admin_shutdown
  '57P03': 'unavailable', // cannot_connect_now
  '53300': 'unavailable', // too_many_connections
};

export function classifyPgError(error: unknown): (PgErrorInfo & { kind: PgErrorKind }) | undefined {
  const info = pgErrorOf(error);
  if (!info) return undefined;
  const kind = KINDS[info.code] ?? (info.code.startsWith('08') ? 'unavailable' : undefined);
  return kind ? { ...info, kind } : undefined;
}
