// The Redis coordinator's queue in front of the reducer, over a store that keeps one image in
// memory and checks versions as the commit script does: queued commands are committed together,
// each answered on its own, and a commit that lost to another writer is reduced again.
import { describe, expect, it } from 'vitest';
import { type LineStore, ScreeningLines } from '../../../src/adapters/redis/screening-lines.ts';
import type { CommitOutcome, Difference, StoredImage } from '../../../src/adapters/redis/screening-store.ts';
import { createScreeningSeats, decide, type ScreeningSeats } from '../../../src/domain/seats/index.ts';

const SEATS = Array.from({ length: 60 }, (_, i) => `S${i + 1}`);

function onSale(): ScreeningSeats {
  const created = createScreeningSeats({
    screeningId: 'scr-1',
    salesOpenAt: Date.now() - 60_000,
    startTime: Date.now() + 86_400_000,
    seats: SEATS.map((seatId) => ({ seatId, status: 'AVAILABLE' as const })),
  });
  if (!created.ok) throw new Error('bad fixture');
  return created.state;
}

/** One stored image; `commits` records every difference it was asked to write. */
class MemoryStore implements LineStore {
  stored: StoredImage = { gen: 'g1', state: onSale() };
  readonly commits: Difference[] = [];
  loads = 0;

  async load(): Promise<StoredImage> {
    this.loads += 1;
    return this.stored;
  }

  async build(): Promise<boolean> {
    return true;
  }

  async commit(difference: Difference): Promise<CommitOutcome> {
    await new Promise((resolve) => setTimeout(resolve, 1)); // a round trip
    this.commits.push(difference);
    const { gen, state } = this.stored;
    if (difference.from.gen !== gen || difference.from.state.version !== state.version)
      return { kind: 'stale', now: this.stored };
    this.stored = { gen, state: difference.to };
    return { kind: 'ok' };
  }
}

const hold = (seatId: string, member = crypto.randomUUID()) =>
  ({
    type: 'hold',
    memberId: member,
    seatIds: [seatId],
    holdToken: crypto.randomUUID(),
    ttlMs: 60_000,
  }) as const;

describe('screening lines (group commit)', () => {
  it('commits commands queued behind a commit in flight as one difference, each with its own answer', async () => {
    const store = new MemoryStore();
    const lines = new ScreeningLines(store, decide, () => {});
    const first = lines.run('scr-1', { command: hold('S1') });
    // Queued while the first is in flight: one group, one commit; S1 again is refused on its own.
    const queued = [...SEATS.slice(1, 50), 'S1'].map((seatId) =>
      lines.run('scr-1', { command: hold(seatId) }),
    );
    const answers = await Promise.all([first, ...queued]);

    expect(store.commits).toHaveLength(2);
    expect(store.commits[1]?.batches.map((batch) => batch.version)).toEqual(
      Array.from({ length: 49 }, (_, i) => i + 2),
    );
    const refusals = answers.filter((answer) => answer.kind === 'done' && !answer.decision.ok);
    expect(refusals).toHaveLength(1);
    expect(answers.at(-1)).toMatchObject({
      kind: 'done',
      decision: { ok: false, error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ['S1'] } },
    });
    expect(store.stored.state.version).toBe(50);
  });

  it('reduces a group again on a fresh image when another writer committed first', async () => {
    const store = new MemoryStore();
    const lines = new ScreeningLines(store, decide, () => {});
    await lines.run('scr-1', { command: hold('S1') });
    // Another process takes S2 behind this one's back.
    const other = decide(store.stored.state, hold('S2'), Date.now());
    if (!other.ok) throw new Error('fixture hold refused');
    store.stored = { ...store.stored, state: other.state };

    const [taken, free] = await Promise.all([
      lines.run('scr-1', { command: hold('S2') }),
      lines.run('scr-1', { command: hold('S3') }),
    ]);
    expect(taken).toMatchObject({ decision: { ok: false, error: { code: 'SEAT_NOT_AVAILABLE' } } });
    expect(free).toMatchObject({ decision: { ok: true } });
    expect(store.commits.map((commit) => commit.from.state.version)).toEqual([0, 1, 2]);
    expect(store.stored.state.version).toBe(3);
    expect(store.loads).toBe(1); // the refused commit brought the current image along
  });

  it('answers nothing from an image it could not confirm: the whole group fails with the store', async () => {
    const store = new MemoryStore();
    store.commit = async () => {
      throw new Error('connection lost');
    };
    const lines = new ScreeningLines(store, decide, () => {});
    await expect(lines.run('scr-1', { command: hold('S1') })).rejects.toThrow('connection lost');
    store.commit = MemoryStore.prototype.commit.bind(store);
    const loadsBefore = store.loads;
    expect(await lines.run('scr-1', { command: hold('S1') })).toMatchObject({ decision: { ok: true } });
    expect(store.loads).toBe(loadsBefore + 1); // read again, not trusted
  });
});
