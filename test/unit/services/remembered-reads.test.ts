// Reads remembered per isolate: one read per key at a time, kept for a while, forgotten on demand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RememberedReads } from '../../../src/services/remembered-reads.ts';

describe('RememberedReads', () => {
  afterEach(() => vi.useRealTimers());

  it('shares one read among the callers that ask meanwhile, then answers from memory until it is due', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const reads = new RememberedReads<number>({ ttlMs: 1_000, max: 10 });
    let calls = 0;
    const read = async () => ++calls;
    expect(await Promise.all([reads.get('a', read), reads.get('a', read), reads.get('a', read)])).toEqual([
      1, 1, 1,
    ]);
    expect(await reads.get('a', read)).toBe(1);
    vi.advanceTimersByTime(1_001);
    expect(await reads.get('a', read)).toBe(2);
    expect(calls).toBe(2);
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
