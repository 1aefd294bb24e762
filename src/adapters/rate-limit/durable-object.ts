// Rate limits on Workers: counters live in RateLimitCounter Durable Objects. Keys are spread over a
// fixed number of objects per bucket, so one hot key (an attacker's IP) only queues behind its own
// shard, never the whole API, and no object per client is left behind to clean up.
import { DurableObject } from 'cloudflare:workers';
import type { RateDecision, RateLimiter } from '../../ports/rate-limiter.ts';
import { failOpen } from './fail-open.ts';
import { type CounterWindow, countHit } from './fixed-window.ts';

/** Objects per bucket. */
export const SHARDS_PER_BUCKET = 32;
/** How long counted hits may wait in memory before they are written to storage. */
export const FLUSH_MS = 1_000;

/**
 * One shard's counters. A hit is answered from memory; changed windows are written to SQLite in one
 * batch at most FLUSH_MS later, so a request never waits for a storage commit (the global per-IP
 * limit runs on every API request). The pending flush timer keeps the object from hibernating, so
 * at worst a crash or a deploy loses the last second of counts; eviction after idling loses nothing.
 */
export class RateLimitCounter extends DurableObject<Cloudflare.Env> {
  readonly #sql: SqlStorage;
  readonly #windows = new Map<string, CounterWindow>();
  readonly #dirty = new Set<string>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(
      'CREATE TABLE IF NOT EXISTS windows (id TEXT PRIMARY KEY, count INTEGER NOT NULL, reset_at INTEGER NOT NULL)',
    );
    this.#sql.exec('CREATE INDEX IF NOT EXISTS windows_reset_at ON windows (reset_at)');
  }

  /** Synchronous from read to write: no other hit can interleave. */
  hit(id: string, limit: number, windowMs: number, cost: number): RateDecision {
    const { decision, next } = countHit(this.#window(id), Date.now(), limit, windowMs, cost);
    if (next) {
      this.#windows.set(id, next);
      this.#dirty.add(id);
      this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
    }
    return decision;
  }

  #window(id: string): CounterWindow | undefined {
    const cached = this.#windows.get(id);
    if (cached) return cached;
    const row = this.#sql
      .exec<{ count: number; reset_at: number }>('SELECT count, reset_at FROM windows WHERE id = ?', id)
      .toArray()[0];
    if (!row) return undefined;
    const stored = { count: row.count, resetAt: row.reset_at };
    this.#windows.set(id, stored);
    return stored;
  }

  /** Writes changed windows in one batch and drops ended ones from memory and storage. */
  #flush(): void {
    this.#flushTimer = undefined;
    const now = Date.now();
    for (const id of this.#dirty) {
      const window = this.#windows.get(id);
      if (!window || window.resetAt <= now) continue;
      this.#sql.exec(
        'INSERT INTO windows (id, count, reset_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET count = excluded.count, reset_at = excluded.reset_at',
        id,
        window.count,
        window.resetAt,
      );
    }
    this.#dirty.clear();
    for (const [id, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(id);
    this.#sql.exec('DELETE FROM windows WHERE reset_at <= ?', now);
  }
}

type CounterRpc = { hit(id: string, limit: number, windowMs: number, cost: number): Promise<RateDecision> };

export class DurableObjectRateLimiter implements RateLimiter {
  readonly #counters: DurableObjectNamespace<RateLimitCounter>;

  constructor(counters: DurableObjectNamespace<RateLimitCounter>) {
    this.#counters = counters;
  }

  hit(bucket: string, key: string, limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    return failOpen(bucket, () => {
      const name = `${bucket}:${shardOf(key)}`;
      const stub = this.#counters.get(this.#counters.idFromName(name)) as unknown as CounterRpc;
      return stub.hit(`${bucket}:${key}`, limit, windowMs, cost);
    });
  }
}

/** FNV-1a: cheap and evenly spread, which is all a shard choice needs. */
export function shardOf(key: string, shards = SHARDS_PER_BUCKET): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
