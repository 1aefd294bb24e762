// The Redis rate limiters against a real Redis (REDIS_URL, database 11): the exact one (the
// fixed-window rule of the port, shared by every process, failing open when Redis is gone), and the
// in-process counts added to Redis in batches, which refuse a key every process together pushed
// over its limit.
import { createClient, ErrorReply } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InProcessRateLimiter } from '../../src/adapters/rate-limit/in-process.ts';
import { RedisRateLimiter } from '../../src/adapters/rate-limit/redis.ts';
import { RedisBatchedCount } from '../../src/adapters/rate-limit/redis-batches.ts';

const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
url.pathname = '/11';
const run = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const bucket = (name: string) => `${run}-${name}`;

describe('RedisRateLimiter', () => {
  const redis = createClient({ url: url.toString(), disableOfflineQueue: true });
  const other = createClient({ url: url.toString(), disableOfflineQueue: true });
  let limiter: RedisRateLimiter;

  beforeAll(async () => {
    await Promise.all([redis.connect(), other.connect()]);
    limiter = new RedisRateLimiter(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`rl:${run}-*`);
    if (keys.length > 0) await redis.del(keys);
    await Promise.all([redis.close(), other.close()]);
  });

  it('allows `limit` hits per window and refuses the next with Retry-After, not counting it', async () => {
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await limiter.hit(bucket('basic'), 'alice', 3, 60_000));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await redis.get(`rl:${bucket('basic')}:alice`)).toBe('3');
    const ttl = await redis.pTTL(`rl:${bucket('basic')}:alice`);
    expect(ttl).toBeGreaterThan(55_000);
    expect((await limiter.hit(bucket('basic'), 'bob', 3, 60_000)).allowed).toBe(true);
  });

  it('takes hits given back off a live window, keeping its expiry, never below zero or opening one', async () => {
    const key = `rl:${bucket('give-back')}:carol`;
    expect((await limiter.hit(bucket('give-back'), 'carol', 2, 60_000, -1)).allowed).toBe(true);
    expect(await redis.exists(key)).toBe(0);
    await limiter.hit(bucket('give-back'), 'carol', 2, 60_000);
    await limiter.hit(bucket('give-back'), 'carol', 2, 60_000);
    expect((await limiter.hit(bucket('give-back'), 'carol', 2, 60_000)).allowed).toBe(false);
    await limiter.hit(bucket('give-back'), 'carol', 2, 60_000, -1);
    expect(await redis.get(key)).toBe('1');
    expect(await redis.pTTL(key)).toBeGreaterThan(55_000);
    expect((await limiter.hit(bucket('give-back'), 'carol', 2, 60_000)).allowed).toBe(true);
    for (let i = 0; i < 3; i++) await limiter.hit(bucket('give-back'), 'carol', 2, 60_000, -1);
    expect(await redis.get(key)).toBe('0');
  });

  it('opens a new window once the old one ends', async () => {
    expect((await limiter.hit(bucket('short'), 'k', 1, 300)).allowed).toBe(true);
    expect((await limiter.hit(bucket('short'), 'k', 1, 300)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await limiter.hit(bucket('short'), 'k', 1, 300)).allowed).toBe(true);
  });

  it('looks without counting when cost is 0', async () => {
    expect(await limiter.hit(bucket('look'), 'k', 2, 60_000, 0)).toMatchObject({
      allowed: true,
      remaining: 2,
    });
    expect(await redis.exists(`rl:${bucket('look')}:k`)).toBe(0);
    await limiter.hit(bucket('look'), 'k', 2, 60_000);
    await limiter.hit(bucket('look'), 'k', 2, 60_000);
    expect((await limiter.hit(bucket('look'), 'k', 2, 60_000, 0)).allowed).toBe(false);
  });

  it('is one counter for every process: concurrent hits from two clients never pass the limit', async () => {
    const second = new RedisRateLimiter(other);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? limiter : second).hit(bucket('shared'), 'k', 25, 60_000)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect(await redis.get(`rl:${bucket('shared')}:k`)).toBe('25');
  });

  it('loads its script again after Redis forgot it (NOSCRIPT)', async () => {
    expect((await limiter.hit(bucket('noscript'), 'k', 5, 60_000)).allowed).toBe(true);
    // SCRIPT FLUSH would hit every user of this Redis; the reply it causes is enough.
    const send = vi
      .spyOn(redis, 'sendCommand')
      .mockRejectedValueOnce(new ErrorReply('NOSCRIPT No matching script. Please use EVAL.'));
    const decision = await limiter.hit(bucket('noscript'), 'k', 5, 60_000);
    expect(send.mock.calls.map(([args]) => args[0])).toEqual(['EVALSHA', 'SCRIPT', 'EVALSHA']);
    expect(decision).toMatchObject({ allowed: true, remaining: 3 });
    send.mockRestore();
  });

  it('starts a fresh window over a stale key that has no expiry', async () => {
    await redis.set(`rl:${bucket('stale')}:k`, '99');
    expect(await limiter.hit(bucket('stale'), 'k', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await redis.pTTL(`rl:${bucket('stale')}:k`)).toBeGreaterThan(0);
  });

  it('fails open, with a warning, when Redis is unreachable', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const down = createClient({ url: 'redis://127.0.0.1:1', disableOfflineQueue: true });
    const decision = await new RedisRateLimiter(down).hit(bucket('down'), 'k', 1, 60_000);
    expect(decision.allowed).toBe(true);
    expect(String(warn.mock.calls[0]?.[0])).toContain('rate limiter unavailable');
    warn.mockRestore();
  });
});

describe('in-process limits reconciled with Redis in batches', () => {
  const redis = createClient({ url: url.toString(), disableOfflineQueue: true });
  const other = createClient({ url: url.toString(), disableOfflineQueue: true });

  beforeAll(() => Promise.all([redis.connect(), other.connect()]));
  afterAll(async () => {
    const keys = await redis.keys(`rl:${run}-batch*`);
    if (keys.length > 0) await redis.del(keys);
    await Promise.all([redis.close(), other.close()]);
  });

  it('answers without Redis, adds a batch of hits in one go, and refuses what two processes together took past the limit', async () => {
    const counts = [new RedisBatchedCount(redis), new RedisBatchedCount(other)];
    const processes = counts.map((count) => new InProcessRateLimiter(count));
    const sent = vi.spyOn(redis, 'sendCommand');
    const b = `${run}-batch`;
    // 6 hits in each process: each is under its own count of 10, 12 together are over it.
    for (let i = 0; i < 6; i++)
      for (const limiter of processes) expect(limiter.check(b, 'k', 10, 60_000).allowed).toBe(true);
    expect(sent).not.toHaveBeenCalled(); // nothing waited for Redis
    for (let i = 0; i < 6; i++) processes[0]!.check(b, `other-${i}`, 10, 60_000);
    await counts[0]!.flush();
    // One flush: one script call per key (pipelined together), each adding the key's hits at once.
    expect(sent.mock.calls.filter(([args]) => args[0] === 'EVALSHA')).toHaveLength(7);
    sent.mockRestore();
    expect(await redis.get(`rl:${b}:k`)).toBe('6');
    expect(processes[0]!.check(b, 'k', 10, 60_000).allowed).toBe(true); // 7 here, 6 known in Redis
    await counts[1]!.flush();
    expect(await redis.get(`rl:${b}:k`)).toBe('12');
    expect(await redis.pTTL(`rl:${b}:k`)).toBeGreaterThan(55_000);
    // The second process learnt that together they passed 10: it refuses until the Redis window ends.
    const refused = processes[1]!.check(b, 'k', 10, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(55);
    expect(processes[1]!.check(b, 'other-0', 10, 60_000).allowed).toBe(true);
  });

  it('takes hits given back off the shared count too: attempts refused and given back never block a key', async () => {
    // A client address asking for 8 seats 13 times against 100 an hour, each hold refused and its
    // seats given back, sometimes in the same batch as the hit, sometimes in the next.
    const count = new RedisBatchedCount(redis);
    const limiter = new InProcessRateLimiter(count);
    const b = `${run}-batch-give-back`;
    for (let i = 0; i < 13; i++) {
      expect(limiter.check(b, 'ip', 100, 3_600_000, 8).allowed).toBe(true);
      if (i % 2) await count.flush();
      limiter.check(b, 'ip', 100, 3_600_000, -8);
      await count.flush();
    }
    expect(await redis.get(`rl:${b}:ip`)).toBe('0');
    expect(limiter.check(b, 'ip', 100, 3_600_000, 8).allowed).toBe(true);
    // Given back where Redis has no window (it ended): none is opened, none goes below zero.
    count.report(b, 'gone', 100, 60_000, -8, () => {});
    await count.flush();
    expect(await redis.exists(`rl:${b}:gone`)).toBe(0);
  });

  it('flushes on its own within FLUSH_MS, and drops a batch with a warning when Redis is gone', async () => {
    const count = new RedisBatchedCount(redis);
    const limiter = new InProcessRateLimiter(count);
    limiter.check(`${run}-batch-timer`, 'k', 10, 60_000);
    await expect.poll(() => redis.get(`rl:${run}-batch-timer:k`), { timeout: 5_000 }).toBe('1');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const down = createClient({ url: 'redis://127.0.0.1:1', disableOfflineQueue: true });
    const lost = new RedisBatchedCount(down);
    new InProcessRateLimiter(lost).check(`${run}-batch-down`, 'k', 1, 60_000);
    await lost.flush();
    expect(String(warn.mock.calls[0]?.[0])).toContain('rate limit counts not added');
    warn.mockRestore();
  });
});
