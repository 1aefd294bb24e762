// Reads remembered per isolate: kept for a while, forgotten on demand; a read under way is never
// shared (on Workers a request may not wait on another request's I/O).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RememberedReads } from '../../../src/services/remembered-reads.ts';

describe('RememberedReads', () => {
  afterEach(() => vi.useRealTimers());

  it('answers from memory until the value is due, and shares no read under way', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const reads = new RememberedReads<number>({ ttlMs: 1_000, max: 10 });
    let calls = 0;
    const read = async () => ++calls;
    // three callers at once: three reads, each answered by its own
    expect(await Promise.all([reads.get('a', read), reads.get('a', read), reads.get('a', read)])).toEqual([
      1, 2, 3,
    ]);
    expect(await reads.get('a', read)).toBe(3);
    vi.advanceTimersByTime(1_001);
    expect(await reads.get('a', read)).toBe(4);
    expect(calls).toBe(4);
  });

  it('keeps only what `keep` accepts, and forgets a key and every key whose value matches', async () => {
    const reads = new RememberedReads<string | undefined>({
      ttlMs: 60_000,
      max: 10,
      keep: (v) => v !== undefined,
    });
    let calls = 0;
    const missing = async () => {
      calls++;
      return undefined;
    };
    await reads.get('x', missing);
    await reads.get('x', missing);
    expect(calls).toBe(2);

    await reads.get('ABC', async () => 'abc');
    await reads.get('abc', async () => 'abc');
    reads.forget('abc', (value) => value === 'abc');
    expect(await reads.get('ABC', async () => 'read again')).toBe('read again');
    expect(await reads.get('abc', async () => 'read again')).toBe('read again');
  });

  it('a failed read is shared, not remembered', async () => {
    const reads = new RememberedReads<number>({ ttlMs: 60_000, max: 10 });
    await expect(reads.get('a', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await reads.get('a', async () => 7)).toBe(7);
  });

  it('starts over when full', async () => {
    const reads = new RememberedReads<number>({ ttlMs: 60_000, max: 2 });
    await reads.get('a', async () => 1);
    await reads.get('b', async () => 2);
    await reads.get('c', async () => 3);
    expect(await reads.get('a', async () => 10)).toBe(10);
    expect(await reads.get('c', async () => 30)).toBe(3);
  });
});
