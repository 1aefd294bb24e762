// The fixed-window rule both rate limiters follow, and the fail-open guard around them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failOpen } from '../../../src/adapters/rate-limit/fail-open.ts';
import { type CounterWindow, countHit } from '../../../src/adapters/rate-limit/fixed-window.ts';

const T0 = Date.UTC(2030, 0, 1);

function run(hits: { at: number; cost?: number }[], limit: number, windowMs: number) {
  let window: CounterWindow | undefined;
  return hits.map(({ at, cost }) => {
    const { decision, next } = countHit(window, at, limit, windowMs, cost);
    if (next) window = next;
    return decision;
  });
}

describe('fixed window', () => {
  it('allows `limit` hits per window, refuses the next with the seconds left, and opens a new window', () => {
    const decisions = run(
      [{ at: T0 }, { at: T0 + 1000 }, { at: T0 + 2000 }, { at: T0 + 59_500 }, { at: T0 + 60_000 }],
      3,
      60_000,
    );
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, true]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 2]);
    expect(decisions[3]!.retryAfterSeconds).toBe(1);
    expect(run([{ at: T0 }, { at: T0 }, { at: T0 + 1 }], 1, 60_000)[2]!.retryAfterSeconds).toBe(60);
  });

  it('takes hits given back (a negative cost) off a live window, never below zero, never opening one', () => {
    const decisions = run(
      [{ at: T0 }, { at: T0 + 1 }, { at: T0 + 2, cost: -1 }, { at: T0 + 3 }, { at: T0 + 4 }],
      2,
      60_000,
    );
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    expect(
      run([{ at: T0, cost: -1 }, { at: T0 + 1 }, { at: T0 + 2 }], 1, 60_000).map((d) => d.allowed),
    ).toEqual([true, true, false]);
    expect(countHit(undefined, T0, 3, 60_000, -1).next).toBeNull();
  });

  it('does not count refused hits, so waiting out the window always helps', () => {
    const hammering = Array.from({ length: 50 }, (_, i) => ({ at: T0 + i * 1000 }));
    const decisions = run([...hammering, { at: T0 + 10 * 60_000 }], 5, 60_000);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5 + 1);
    expect(decisions.at(-1)!.allowed).toBe(true);
  });

  it('looks without counting when cost is 0: allowed while one more hit would be', () => {
    let window: CounterWindow | undefined;
    const look = () => countHit(window, T0, 2, 60_000, 0);
    expect(look()).toEqual({ decision: { allowed: true, retryAfterSeconds: 60, remaining: 2 }, next: null });
    window = countHit(window, T0, 2, 60_000).next!;
    window = countHit(window, T0, 2, 60_000).next!;
    expect(look().decision.allowed).toBe(false);
  });

  it('counts a cost of several hits at once, refusing one that would pass the limit', () => {
    const [first, second] = run(
      [
        { at: T0, cost: 3 },
        { at: T0, cost: 3 },
      ],
      5,
      60_000,
    );
    expect(first).toMatchObject({ allowed: true, remaining: 2 });
    expect(second).toMatchObject({ allowed: false, remaining: 2 });
  });
});

describe('failOpen', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lets the request through, with a warning, when the counter store fails or hangs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await failOpen('ip', () => Promise.reject(new Error('ECONNREFUSED')))).toMatchObject({
      allowed: true,
    });
    expect(
      await failOpen(
        'ip',
        () => {
          throw new Error('sync failure');
        },
        50,
      ),
    ).toMatchObject({ allowed: true });
    expect(await failOpen('ip', () => new Promise(() => {}), 20)).toMatchObject({ allowed: true });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({
      level: 'warn',
      message: 'rate limiter unavailable; request let through',
      bucket: 'ip',
    });
  });

  it('passes a refusal through', async () => {
    const refused = { allowed: false, retryAfterSeconds: 7, remaining: 0 };
    expect(await failOpen('ip', async () => refused)).toEqual(refused);
  });
});
