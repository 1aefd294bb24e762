// The draft's overlay: reads go through to the state's record, writes stay on top until the commit,
// and the record it merges into is the state's own when the command wrote nothing.
import { describe, expect, it } from 'vitest';
import { Overlay } from '../../../src/domain/seats/seat-draft.ts';

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
