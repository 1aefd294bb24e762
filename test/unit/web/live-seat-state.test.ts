// The live seat map's bookkeeping (web/src/live/seat-state.ts): batches apply in version order, a
// gap asks for the snapshot again and what arrives meanwhile is replayed, and whatever the page
// shows at version v is what the server had at version v, whichever batches were lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeatChange, SeatStatus } from '../../../web/src/api/types.ts';
import {
  fromSnapshot,
  type LiveSeats,
  receive,
  reconnectDelay,
  resynced,
  type SeatBatch,
} from '../../../web/src/live/seat-state.ts';

const seats = (entries: Record<string, SeatStatus>): SeatChange[] =>
  Object.entries(entries).map(([seatId, status]) => ({ seatId, status }));
const batch = (version: number, entries: Record<string, SeatStatus>): SeatBatch => ({
  version,
  changes: seats(entries),
});

describe('live seat state', () => {
  const start = fromSnapshot(5, seats({ a: 'AVAILABLE', b: 'AVAILABLE' }));

  it('applies the next version and ignores one already seen', () => {
    const next = receive(start, batch(6, { a: 'HOLD' }));
    expect(next).toEqual({ state: expect.objectContaining({ version: 6 }), resync: false });
    expect(next.state.statuses).toEqual({ a: 'HOLD', b: 'AVAILABLE' });
    const again = receive(next.state, batch(6, { a: 'AVAILABLE' }));
    expect(again.state).toBe(next.state);
    expect(receive(next.state, batch(3, { b: 'RESERVED' })).state).toBe(next.state);
  });

  it('asks for the snapshot on a gap and keeps what arrives until it lands', () => {
    const gap = receive(start, batch(8, { b: 'HOLD' }));
    expect(gap.resync).toBe(true);
    expect(gap.state.statuses).toEqual(start.statuses); // nothing half-applied
    const waiting = receive(gap.state, batch(9, { b: 'RESERVED' }));
    expect(waiting.resync).toBe(false); // one re-read is already on its way
    const done = resynced(waiting.state, { version: 8, seats: seats({ a: 'HOLD', b: 'HOLD' }) });
    expect(done.resync).toBe(false);
    expect(done.state).toMatchObject({ version: 9, resyncing: false, pending: [] });
    expect(done.state.statuses).toEqual({ a: 'HOLD', b: 'RESERVED' });
  });

  it('asks again when the snapshot is older than a gap in what waited', () => {
    let state = receive(start, batch(7, { a: 'HOLD' })).state;
    state = receive(state, batch(9, { a: 'PAYMENT_PENDING' })).state;
    const step = resynced(state, { version: 6, seats: seats({ a: 'AVAILABLE', b: 'BLOCKED' }) });
    expect(step.resync).toBe(true);
    expect(step.state).toMatchObject({ version: 7, resyncing: true });
    expect(step.state.statuses).toEqual({ a: 'HOLD', b: 'BLOCKED' });
  });

  it('shows at version v exactly what the server had at v, whatever the socket lost', () => {
    const statuses: SeatStatus[] = ['AVAILABLE', 'HOLD', 'RESERVED', 'BLOCKED'];
    const history = fc.array(
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...statuses), { minKeys: 1 }),
      { minLength: 1, maxLength: 25 },
    );
    const delivery = fc.array(fc.record({ copies: fc.nat(2), fetchAhead: fc.nat(2), fetchLag: fc.nat(3) }), {
      minLength: 25,
      maxLength: 25,
    });
    fc.assert(
      fc.property(history, delivery, (changes, plan) => {
        // The server's truth after each version; version 0 is the first snapshot.
        const truth: Record<string, SeatStatus>[] = [{ a: 'AVAILABLE', b: 'AVAILABLE', c: 'AVAILABLE' }];
        for (const change of changes) truth.push({ ...truth.at(-1), ...change });
        const snapshotAt = (version: number) => ({ version, seats: seats(truth[version] ?? {}) });
        const check = (state: LiveSeats) => {
          if (!state.resyncing) expect(state.statuses).toEqual(truth[state.version]);
        };

        let state = fromSnapshot(0, snapshotAt(0).seats);
        let fetch: { version: number; dueAfter: number } | undefined;
        changes.forEach((change, index) => {
          const version = index + 1;
          const step = plan[index] ?? { copies: 1, fetchAhead: 0, fetchLag: 0 };
          for (let copy = 0; copy < step.copies; copy++) {
            const result = receive(state, { version, changes: seats(change) });
            state = result.state;
            if (result.resync) {
              const at = Math.min(changes.length, version + step.fetchAhead);
              fetch = { version: at, dueAfter: version + step.fetchLag };
            }
            check(state);
          }
          if (fetch && version >= fetch.dueAfter) {
            const result = resynced(state, snapshotAt(fetch.version));
            state = result.state;
            fetch = result.resync
              ? { version: Math.max(version, fetch.version), dueAfter: version }
              : undefined;
            check(state);
          }
        });
        while (fetch) {
          const result = resynced(state, snapshotAt(changes.length));
          state = result.state;
          fetch = result.resync ? { version: changes.length, dueAfter: 0 } : undefined;
        }
        check(state);
      }),
    );
  });
});

describe('reconnect delay', () => {
  it('doubles from half a second and stops growing at 15 seconds, with jitter below the ceiling', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => reconnectDelay(attempt, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
  });
});
