// What the seat script answers (JSON), and how it becomes the port's values. cjson writes an
// empty Lua table as {} rather than [], so every list is read through asArray.
import type { SeatError } from '../../domain/seats/index.ts';
import type { HoldView, SeatResult } from '../../ports/seat-coordinator.ts';

export type Reply = {
  ok: boolean;
  cold?: boolean;
  error?: { code: string; [field: string]: unknown };
  version?: number;
  changed?: number;
  available?: number;
  deadline?: number;
  nextFuture?: number;
  hold?: { holdToken: string; seatIds: unknown; expiresAt: number };
  seats?: unknown;
  holds?: unknown;
  duePayments?: unknown;
  dueRefunds?: unknown;
  fence?: number;
  busy?: boolean;
  retryMs?: number;
};

/** A hold as the script stores it: member, seats, phase, deadline. */
export type StoredHold = { m: string; s: unknown; p: 'HOLD' | 'PAYMENT_PENDING'; e: number };

export const NOT_FOUND = { ok: false, error: { code: 'NOT_FOUND' } } as const;

export const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** HGETALL's flat [field, value, field, value, …] as pairs. */
export function pairs(flat: unknown): [string, string][] {
  const list = asArray<string>(flat);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i] as string, list[i + 1] as string]);
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function holdResult(screeningId: string, reply: Reply | undefined): SeatResult<HoldView> {
  if (!reply) return NOT_FOUND;
  if (!reply.ok || !reply.hold) return refused(reply);
  return {
    ok: true,
    value: {
      holdToken: reply.hold.holdToken,
      screeningId,
      seatIds: asArray<string>(reply.hold.seatIds),
      expiresAt: iso(reply.hold.expiresAt),
    },
  };
}

export function done(reply: Reply | undefined): SeatResult<null> {
  if (!reply) return NOT_FOUND;
  return reply.ok ? { ok: true, value: null } : refused(reply);
}

export function refused(reply: Reply): { ok: false; error: SeatError } {
  const error = reply.error ?? { code: 'VALIDATION_FAILED', message: 'no answer from the seat script' };
  for (const list of ['unavailableSeatIds', 'seatIds', 'seats'])
    if (list in error) error[list] = asArray(error[list]);
  return { ok: false, error: error as SeatError };
}

/** A member's live holds among a screening's stored holds (GET /api/me/holds). */
export function liveHoldsOf(
  holds: ReadonlyMap<string, StoredHold>,
  screeningId: string,
  memberId: string,
  now: number,
): HoldView[] {
  return [...holds]
    .filter(([, hold]) => hold.m === memberId && (hold.p === 'PAYMENT_PENDING' || hold.e > now))
    .map(([holdToken, hold]) => ({
      holdToken,
      screeningId,
      seatIds: asArray<string>(hold.s),
      expiresAt: iso(hold.e),
    }));
}
