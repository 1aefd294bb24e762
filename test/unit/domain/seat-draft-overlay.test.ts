// The draft's overlay: reads go through to the state's record, writes stay on top until the commit,
// and the record it merges into is the state's own when the command wrote nothing. A decision carries
// the draft's writes, and a coordinator that adopts them in place ends with the decided state.
import { describe, expect, it } from 'vitest';
import { adopt } from '../../../src/domain/seats/index.ts';
import { Overlay } from '../../../src/domain/seats/seat-draft.ts';
import { NOW, ok, SALES_OPEN, screening, TTL } from './seat-fixtures.ts';

describe('Overlay', () => {
  const base = Object.fromEntries([
    ['a', 1],
    ['__proto__', 2],
    ['c', 3],
  ]) as Record<string, number>;

  it('reads through, sees its own writes and deletions, and leaves the record alone', () => {
    const overlay = new Overlay(base);
    overlay.set('a', 10);
    overlay.delete('c');
    overlay.set('d', 4);
    expect(overlay.get('a')).toBe(10);
    expect(overlay.has('c')).toBe(false);
    expect(overlay.get('__proto__')).toBe(2);
    expect(overlay.get('toString')).toBeUndefined();
    expect([...overlay]).toEqual([
      ['a', 10],
      ['__proto__', 2],
      ['d', 4],
    ]);
    expect(Object.entries(base)).toEqual([
      ['a', 1],
      ['__proto__', 2],
      ['c', 3],
    ]);
  });

  it('merges into a new record in the same order, keys as own properties', () => {
    const overlay = new Overlay(base);
    overlay.set('__proto__', 20);
    overlay.set('e', 5);
    const merged = overlay.merged();
    expect(merged).not.toBe(base);
    expect(Object.entries(merged)).toEqual([
      ['a', 1],
      ['__proto__', 20],
      ['c', 3],
      ['e', 5],
    ]);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('hands back the same record when nothing was written', () => {
    expect(new Overlay(base).merged()).toBe(base);
  });
});

describe('a decision carries what it wrote', () => {
  const held = ok(
    screening(),
    { type: 'hold', memberId: 'm1', seatIds: ['A1', 'A2'], holdToken: 't1', ttlMs: TTL },
    NOW,
  );

  it('names the seats and the hold of a hold, and adopting it gives the decided state', () => {
    expect([...held.written.seats.keys()]).toEqual(['A1', 'A2']);
    expect([...held.written.holds.keys()]).toEqual(['t1']);
    expect(adopt(structuredClone(screening()), held)).toEqual(held.state);
  });

  it('names the hold alone when an extension moves its deadline, which becomes the next one', () => {
    const extended = ok(
      held.state,
      { type: 'extend', memberId: 'm1', holdToken: 't1', ttlMs: TTL, maxMs: 3 * TTL },
      NOW + 1_000,
    );
    expect(extended.written.seats.size).toBe(0);
    expect([...extended.written.holds.keys()]).toEqual(['t1']);
    expect(extended.deadline).toBe(NOW + 1_000 + TTL);
    const adopted = adopt(structuredClone(held.state), extended);
    expect(adopted).toEqual(extended.state);
    expect(adopted.version).toBe(held.state.version + 1);
  });

  it('carries a configuration, and adopting it sets those fields', () => {
    const configured = ok(
      held.state,
      { type: 'configure', salesOpenAt: SALES_OPEN - 1, singleSeatGaps: 'PREVENT', prices: { STANDARD: 9 } },
      NOW,
    );
    expect(configured.written.config).toEqual({
      salesOpenAt: SALES_OPEN - 1,
      singleSeatGaps: 'PREVENT',
      prices: { STANDARD: 9 },
    });
    expect(adopt(structuredClone(held.state), configured)).toEqual(configured.state);
    expect(configured.state).toMatchObject({ singleSeatGaps: 'PREVENT', salesOpenAt: SALES_OPEN - 1 });
  });

  it('writes nothing when nothing changed, and adopting gives the same state back', () => {
    const idle = ok(held.state, { type: 'expire' }, NOW);
    expect(idle.written.seats.size + idle.written.holds.size).toBe(0);
    const owned = structuredClone(held.state);
    expect(adopt(owned, idle)).toBe(owned);
  });
});
