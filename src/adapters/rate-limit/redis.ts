// Rate limits on Deno/Node: one atomic Lua script per hit against Redis, the same fixed-window rule
// as the Durable Object (fixed-window.ts): the first counted hit opens the window with its expiry,
// a refused hit is not counted, hits given back (a negative cost) come off a live window. If Redis
// errors, the limiter fails open (see fail-open.ts).
import type { RateDecision, RateLimiter } from '../../ports/rate-limiter.ts';
import { type RedisClient, Script } from '../redis/redis-client.ts';
import { failOpen } from './fail-open.ts';

// KEYS[1] the counter; ARGV limit, windowMs, cost. Returns {allowed (0/1), count, ms until reset}.
const HIT_SCRIPT = new Script(`
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
if cost < 0 then
  -- hits given back: only to a live window, never below zero
  if ttl <= 0 then return {1, 0, 0} end
  local left = tonumber(redis.call('GET', KEYS[1]) or '0') + cost
  if left < 0 then left = 0 end
  redis.call('SET', KEYS[1], left, 'KEEPTTL')
  return {1, left, ttl}
end
-- no key (-2), or a key without expiry (-1): a fresh window
local fresh = ttl <= 0
local count = 0
if fresh then
  ttl = window
else
  count = tonumber(redis.call('GET', KEYS[1]) or '0')
end
local needed = math.max(cost, 1)
if count + needed > limit then
  return {0, count, ttl}
end
if cost > 0 then
  if fresh then redis.call('DEL', KEYS[1]) end
  count = redis.call('INCRBY', KEYS[1], cost)
  if fresh then redis.call('PEXPIRE', KEYS[1], window) end
end
return {1, count, ttl}
`);

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
    this.#redis = redis;
  }

  hit(bucket: string, key: string, limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    return failOpen(bucket, async () => {
      const reply = await HIT_SCRIPT.run<number[]>(
        this.#redis,
        [`rl:${bucket}:${key}`],
        [limit, windowMs, cost].map(String),
      );
      const [allowed, count, ttl] = reply.map(Number) as [number, number, number];
      return {
        allowed: allowed === 1,
        retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
        remaining: Math.max(0, limit - count),
      };
    });
  }
}
