// The shared count of rate limits on Deno/Node: hits counted in this process (less those it gave
// back) are added to Redis in batches, at most every FLUSH_MS, all keys of a batch sent at once
// (node-redis pipelines them into one round trip); no request waits for it. Redis answers each
// key's count across every process, and a key past its limit is refused in this process until its
// Redis window ends. If Redis errors the batch is dropped with a warning: the limits fail open, as
// rate limiting must never take the sale down.
import { log } from '../../log.ts';
import { type RedisClient, Script } from '../redis/redis-client.ts';
import type { SharedCount } from './in-process.ts';

/** How long counted hits may wait before they are added to Redis. */
export const FLUSH_MS = 250;

// KEYS[1] the counter; ARGV hits (negative: given back), windowMs. Returns {count, ms until the
// window ends}. Hits given back never open a window nor take a count below zero.
const ADD_SCRIPT = new Script(`
local hits = tonumber(ARGV[1])
if hits < 0 and redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0} end
local count = redis.call('INCRBY', KEYS[1], hits)
if count < 0 then
  redis.call('SET', KEYS[1], 0, 'KEEPTTL')
  count = 0
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  ttl = tonumber(ARGV[2])
end
return {count, ttl}
`);

interface Pending {
  key: string;
  limit: number;
  windowMs: number;
  hits: number;
  over: (untilMs: number) => void;
}

export class RedisBatchedCount implements SharedCount {
  readonly #redis: RedisClient;
  readonly #pending = new Map<string, Pending>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Batches sent (one pipelined round trip each), for tests and the bench's counts. */
  flushes = 0;

  constructor(redis: RedisClient) {
    this.#redis = redis;
  }

  report(
    bucket: string,
    key: string,
    limit: number,
    windowMs: number,
    cost: number,
    over: (untilMs: number) => void,
  ): void {
    const id = `rl:${bucket}:${key}`;
    const pending = this.#pending.get(id);
    if (pending) pending.hits += cost;
    else this.#pending.set(id, { key: id, limit, windowMs, hits: cost, over });
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), FLUSH_MS);
      (this.#timer as { unref?: () => void }).unref?.();
    }
  }

  /** Adds every pending hit to Redis now (the timer calls it; tests and close may too). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()].filter((pending) => pending.hits !== 0);
    this.#pending.clear();
    if (batch.length === 0) return;
    this.flushes++;
    const now = Date.now();
    await Promise.all(
      batch.map(async (pending) => {
        const [count, ttl] = (
          await ADD_SCRIPT.run<number[]>(
            this.#redis,
            [pending.key],
            [String(pending.hits), String(pending.windowMs)],
          )
        ).map(Number) as [number, number];
        if (count > pending.limit) pending.over(now + ttl);
      }),
    ).catch((error: unknown) =>
      log('warn', 'rate limit counts not added to Redis; counted in this process only', {
        error: String(error),
      }),
    );
  }
}
