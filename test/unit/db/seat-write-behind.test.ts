// The seat write-behind: nothing reaches Postgres on the caller's path; what arrives within
// DELAY_MS is written together, at most one write in flight, and a loaded screening's holders and
// count are written again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../src/adapters/db/client.ts';
import { DELAY_MS, SeatWriteBehind } from '../../../src/adapters/db/seat-write-behind.ts';
import { createScreeningSeats } from '../../../src/domain/seats/index.ts';

const written = vi.hoisted(() => ({ holders: [] as unknown[][], counts: [] as unknown[][] }));
vi.mock('../../../src/adapters/db/seat-repository.ts', () => ({
  noteMemberHolds: async (_db: unknown, rows: unknown[]) => void written.holders.push(rows),
  recordSeatCounts: async (_db: unknown, ...args: unknown[]) => void written.counts.push(args),
}));

const S = '00000000-0000-4000-8000-000000000001';
const T = '00000000-0000-4000-8000-000000000002';

describe('SeatWriteBehind', () => {
  let background: Promise<unknown>[];
  let behind: SeatWriteBehind;

  beforeEach(() => {
    vi.useFakeTimers();
    written.holders = [];
    written.counts = [];
    background = [];
    behind = new SeatWriteBehind(
      (work) => work({} as Database),
      (work) => background.push(work),
    );
  });
  afterEach(() => vi.useRealTimers());

  it('writes nothing on the caller path, then everything of the next DELAY_MS in one statement per kind', async () => {
    behind.holder(S, 'm1');
    behind.counts(S, 10, 3);
    behind.holder(S, 'm2');
    behind.holder(S, 'm1');
    behind.counts(S, 9, 4);
    behind.counts(S, 11, 2); // older than the pending count: dropped
    expect(written.holders).toEqual([]);
    await vi.advanceTimersByTimeAsync(DELAY_MS - 1);
    expect(written.holders).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(background);
    expect(written.holders).toEqual([
      [
        { screeningId: S, memberId: 'm1' },
        { screeningId: S, memberId: 'm2' },
      ],
    ]);
    expect(written.counts).toEqual([[S, 9, 4]]);
    expect(behind.statements).toBe(2);
    expect(DELAY_MS).toBeLessThanOrEqual(250); // GET /api/me/holds promises a hold within 1 s
  });

  it('writes a loaded screening again: its live holders and its count', async () => {
    const built = createScreeningSeats({
      screeningId: T,
      salesOpenAt: 0,
      startTime: Date.now() + 3_600_000,
      seats: [
        { seatId: 'a', status: 'AVAILABLE' },
        { seatId: 'b', status: 'AVAILABLE' },
      ],
    });
    if (!built.ok) throw new Error('fixture');
    const state = {
      ...built.state,
      version: 7,
      seats: { a: { status: 'HOLD' as const, holdToken: 'h1' }, b: { status: 'AVAILABLE' as const } },
      holds: {
        h1: { memberId: 'm9', seatIds: ['a'], phase: 'HOLD' as const, expiresAt: Date.now() + 60_000 },
      },
    };
    behind.loaded(state);
    await behind.settled();
    expect(written.holders).toEqual([[{ screeningId: T, memberId: 'm9' }]]);
    expect(written.counts).toEqual([[T, 1, 7]]);
  });
});
