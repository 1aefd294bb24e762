// The Redis coordinator's queue in front of the reducer, over a store that keeps one image in
// memory and checks versions as the commit script does: queued commands are committed together,
// each answered on its own, a commit that lost to another writer is reduced again, only what the
// reducer wrote is sent, and a reader's copy stays as it was while the line changes its own image.
import { describe, expect, it } from 'vitest';
import {
  type Committed,
  type LineStore,
  ScreeningLines,
} from '../../../src/adapters/redis/screening-lines.ts';
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

  /** A copy of its own, as a read from Redis is: the line changes its image in place. */
  async load(): Promise<StoredImage> {
    this.loads += 1;
    return structuredClone(this.stored);
  }

  async build(): Promise<boolean> {
    return true;
  }

  async commit(difference: Difference): Promise<CommitOutcome> {
    await new Promise((resolve) => setTimeout(resolve, 1)); // a round trip
    this.commits.push(difference);
    const { gen, state } = this.stored;
    if (difference.from.gen !== gen || difference.from.version !== state.version)
      return { kind: 'stale', now: structuredClone(this.stored) };
    // Only what the difference names is written, as the commit script does.
    const seats = { ...state.seats, ...Object.fromEntries(difference.seats) };
    const holds = { ...state.holds };
    for (const [token, hold] of difference.holds) {
      if (hold) holds[token] = hold;
      else delete holds[token];
    }
    this.stored = { gen, state: { ...state, version: difference.to.version, seats, holds } };
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
  it('commits commands queued behind a commit in flight as one difference and one version, each with its own answer', async () => {
    const store = new MemoryStore();
    const lines = new ScreeningLines(store, decide, () => {});
    const first = lines.run('scr-1', { command: hold('S1') });
    // Queued while the first is in flight: one group, one commit; S1 again is refused on its own.
    const queued = [...SEATS.slice(1, 50), 'S1'].map((seatId) =>
      lines.run('scr-1', { command: hold(seatId) }),
    );
    const answers = await Promise.all([first, ...queued]);

    expect(store.commits).toHaveLength(2);
    // One version for the group, its batch every change of it in order (S1's refusal changed nothing).
    expect(store.commits[1]?.batches.map((batch) => batch.version)).toEqual([2]);
    expect(store.commits[1]?.batches[0]?.changes).toEqual(
      SEATS.slice(1, 50).map((seatId) => ({ seatId, status: 'HOLD' })),
    );
    const refusals = answers.filter((answer) => answer.kind === 'done' && !answer.decision.ok);
    expect(refusals).toHaveLength(1);
    expect(answers.at(-1)).toMatchObject({
      kind: 'done',
      decision: { ok: false, error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ['S1'] } },
    });
    expect(store.stored.state.version).toBe(2);
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
    expect(store.commits.map((commit) => commit.from.version)).toEqual([0, 1, 2]);
    expect(store.stored.state.version).toBe(3);
    expect(store.loads).toBe(1); // the refused commit brought the current image along
  });

  it('attaches what the process adds (the layout) once per image: every command sees it, a reread image gets it again', async () => {
    const store = new MemoryStore();
    const layout = SEATS.map((seatId, i) => ({ seatId, rowLabel: 'A', seatNo: i + 1, type: 'STANDARD' }));
    const attached: number[] = [];
    const seen: boolean[] = [];
    const lines = new ScreeningLines(
      store,
      (state, command, now) => {
        seen.push(state.layout === layout);
        return decide(state, command, now);
      },
      () => {},
      (state) => {
        if (state.layout) return state;
        attached.push(state.version);
        return { ...state, layout };
      },
    );
    for (const seatId of ['S1', 'S2', 'S3']) await lines.run('scr-1', { command: hold(seatId) });
    expect(attached).toEqual([0]); // one copy for the image, not one per command
    // Another process commits: the refused commit brings a new image, which gets its layout too.
    const other = decide(store.stored.state, hold('S9'), Date.now());
    if (!other.ok) throw new Error('fixture hold refused');
    store.stored = { ...store.stored, state: other.state };
    await lines.run('scr-1', { command: hold('S4') });
    expect(attached).toEqual([0, 4]);
    expect(seen.every(Boolean)).toBe(true);
    expect(seen).toHaveLength(5); // S1, S2, S3, S4 on the stale image, S4 again on the new one
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

  it('sends only what the reducer wrote, and tells what changed: the count and the new deadlines', async () => {
    const store = new MemoryStore();
    const committed: Committed[] = [];
    const lines = new ScreeningLines(store, decide, (change) => committed.push(change));
    const first = hold('S1');
    await lines.run('scr-1', { command: first });
    await lines.run('scr-1', {
      command: { type: 'release', memberId: first.memberId, holdToken: first.holdToken },
    });

    const [held, released] = store.commits;
    expect([...(held?.seats.keys() ?? [])]).toEqual(['S1']);
    expect([...(held?.holds.keys() ?? [])]).toEqual([first.holdToken]);
    expect([...(released?.seats.keys() ?? [])]).toEqual(['S1']);
    expect([...(released?.holds ?? [])]).toEqual([[first.holdToken, undefined]]); // deleted
    expect(store.stored.state.holds).toEqual({});
    expect(store.stored.state.seats.S1).toEqual({ status: 'AVAILABLE' });
    expect(committed.map(({ version, available }) => ({ version, available }))).toEqual([
      { version: 1, available: SEATS.length - 1 },
      { version: 2, available: SEATS.length },
    ]);
    const expiresAt = held?.holds.get(first.holdToken)?.expiresAt;
    expect(committed[0]?.deadlines).toEqual([expiresAt]);
    expect(committed[0]?.earliestBefore).toBeNull();
    expect(committed[1]).toMatchObject({ deadlines: [], earliestBefore: expiresAt });
  });

  it('answers a reader in a group with the state the group commits, at the version it is published as', async () => {
    const store = new MemoryStore();
    const lines = new ScreeningLines(store, decide, () => {});
    const first = lines.run('scr-1', { command: hold('S1') });
    // Queued while the first is in flight, the read before the group's holds.
    const read = lines.run('scr-1', { command: { type: 'expire' }, read: true });
    const later = ['S2', 'S3'].map((seatId) => lines.run('scr-1', { command: hold(seatId) }));
    await Promise.all([first, ...later]);
    const answer = await read;
    if (answer.kind !== 'done' || !answer.state) throw new Error('no state read');
    expect(answer.state.version).toBe(2);
    expect(store.commits.at(-1)?.batches.map((batch) => batch.version)).toEqual([2]);
    expect(['S1', 'S2', 'S3'].map((seatId) => answer.state?.seats[seatId]?.status)).toEqual([
      'HOLD',
      'HOLD',
      'HOLD',
    ]);
  });

  it("gives a reader a copy of its own: later commits change the line's image, never the copy", async () => {
    const store = new MemoryStore();
    const lines = new ScreeningLines(store, decide, () => {});
    await lines.run('scr-1', { command: hold('S1') });
    const read = await lines.run('scr-1', { command: { type: 'expire' }, read: true });
    if (read.kind !== 'done' || !read.state) throw new Error('no state read');
    const seen = structuredClone(read.state);
    const again = await lines.run('scr-1', { command: { type: 'expire' }, read: true });
    expect(again.kind === 'done' && again.state).toBe(read.state); // no write between: one copy

    const second = hold('S2');
    const answer = await lines.run('scr-1', { command: second, hold: second.holdToken });
    expect(answer).toMatchObject({ hold: { memberId: second.memberId, seatIds: ['S2'], phase: 'HOLD' } });
    expect(read.state).toEqual(seen);
    expect(store.stored.state.seats.S2).toEqual({ status: 'HOLD', holdToken: second.holdToken });
  });
});
