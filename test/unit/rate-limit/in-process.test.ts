// The in-process limiter: exact within its process, answered at once, and refusing a key the shared
// count found over its limit until that window ends.
import { describe, expect, it } from 'vitest';
import { InProcessRateLimiter, type SharedCount } from '../../../src/adapters/rate-limit/in-process.ts';

function sharedCount() {
  const reports: { bucket: string; key: string; cost: number; over: (until: number) => void }[] = [];
  const shared: SharedCount = {
    report: (bucket, key, _limit, _windowMs, cost, over) => void reports.push({ bucket, key, cost, over }),
  };
  return { shared, reports };
}

describe('InProcessRateLimiter', () => {
  it('allows `limit` hits per window in this process and refuses the next, with Retry-After', () => {
    let now = 1_000_000;
    const limiter = new InProcessRateLimiter(undefined, () => now);
    const decisions = Array.from({ length: 4 }, () => limiter.check('b', 'k', 3, 60_000));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfterSeconds).toBe(60);
    expect(limiter.check('b', 'other', 3, 60_000).allowed).toBe(true);
    now += 60_000;
    expect(limiter.check('b', 'k', 3, 60_000).allowed).toBe(true);
  });

  it('reports every counted hit and every hit given back to the shared count, and none it refused', () => {
    const { shared, reports } = sharedCount();
    const limiter = new InProcessRateLimiter(shared, () => 0);
    limiter.check('b', 'k', 2, 60_000);
    limiter.check('b', 'k', 2, 60_000);
    limiter.check('b', 'k', 2, 60_000); // refused here
    limiter.check('b', 'k', 2, 60_000, -1); // given back
    limiter.check('b', 'k', 2, 60_000, 0); // a look
    limiter.check('b', 'k', 2, 60_000, -5); // more than is left: only the 1 left is given back
    limiter.check('b', 'none', 2, 60_000, -1); // no window here: nothing to give back
    expect(reports.map((r) => [r.bucket, r.key, r.cost])).toEqual([
      ['b', 'k', 1],
      ['b', 'k', 1],
      ['b', 'k', -1],
      ['b', 'k', -1],
    ]);
  });

  it('refuses a key the shared count says is over, until the shared window ends', () => {
    let now = 5_000;
    const { shared, reports } = sharedCount();
    const limiter = new InProcessRateLimiter(shared, () => now);
    expect(limiter.check('b', 'k', 100, 60_000).allowed).toBe(true);
    reports[0]!.over(now + 10_000); // another process pushed the shared count past the limit
    const refused = limiter.check('b', 'k', 100, 60_000);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 10, remaining: 0 });
    expect(limiter.check('b', 'other', 100, 60_000).allowed).toBe(true);
    now += 10_000;
    expect(limiter.check('b', 'k', 100, 60_000).allowed).toBe(true);
  });

  it('answers through the port without waiting for anything', async () => {
    const limiter = new InProcessRateLimiter();
    await expect(limiter.hit('b', 'k', 1, 60_000)).resolves.toMatchObject({ allowed: true });
    await expect(limiter.hit('b', 'k', 1, 60_000)).resolves.toMatchObject({ allowed: false });
  });
});
