// Reads remembered per isolate: one read per key at a time, kept for a while, forgotten on demand.
// A caller that finds a read under way waits for its answer on its own clock, never on its promise
// (on Workers a request may not wait on another request's I/O), and reads itself if none comes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RememberedReads } from '../../../src/services/remembered-reads.ts';

describe('RememberedReads', () => {
  afterEach(() => vi.useRealTimers());

  it('reads once for the callers that ask meanwhile, then answers from memory until it is due', async () => {
    const reads = new RememberedReads<number>({ ttlMs: 60_000, max: 10 });
    let calls = 0;
    const read = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return calls;
    };
    expect(await Promise.all([reads.get('a', read), reads.get('a', read), reads.get('a', read)])).toEqual([
      1, 1, 1,
    ]);
    expect(await reads.get('a', read)).toBe(1);
    expect(calls).toBe(1);
  });

  it('reads again once the value is due', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const reads = new RememberedReads<number>({ ttlMs: 1_000, max: 10 });
    let calls = 0;
    const read = async () => ++calls;
    expect(await reads.get('a', read)).toBe(1);
    vi.advanceTimersByTime(1_001);
    expect(await reads.get('a', read)).toBe(2);
  });

  it('does not wait for ever on a read that never answers: after a while a waiting caller reads itself', async () => {
    vi.useFakeTimers();
    const reads = new RememberedReads<number>({ ttlMs: 60_000, max: 10 });
    void reads.get('a', () => new Promise<number>(() => {})); // a request that went away mid-read
    const waiting = reads.get('a', async () => 7);
    await vi.advanceTimersByTimeAsync(2_100);
    expect(await waiting).toBe(7);
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

  it('does not remember a failed read: a caller that waited for it reads itself', async () => {
    const reads = new RememberedReads<number>({ ttlMs: 60_000, max: 10 });
    const failing = reads.get('a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('down');
    });
    const waiting = reads.get('a', async () => 7);
    await expect(failing).rejects.toThrow('down');
    expect(await waiting).toBe(7);
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
