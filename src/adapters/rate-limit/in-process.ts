// Rate limits counted in this isolate or process, answered without waiting for anything: the
// fixed-window rule of fixed-window.ts on a Map. Exact within one isolate/process; across them a
// `SharedCount` (the Workers Rate Limiting binding, or Redis reconciled in batches) is told about
// every counted hit (and every hit given back) in the background, and a key it finds over its limit
// is refused here too until that shared window ends. So a client spread over several isolates or
// processes gets through at most about the limit plus the hits counted before the shared verdict
// came back (see docs/abuse-resistance.md).
import type { RateDecision, RateLimiter } from '../../ports/rate-limiter.ts';
import { type CounterWindow, countHit } from './fixed-window.ts';

/** Windows kept before the ended ones are swept out (a flood of distinct keys cannot grow it forever). */
const SWEEP_AT = 50_000;

export interface SharedCount {
  /**
   * Hears of `cost` hits counted here (never awaited by the request), or given back here when
   * `cost` is negative. Calls `over(untilMs)` when the shared count says the key is past `limit`
   * in its window.
   */
  report(
    bucket: string,
    key: string,
    limit: number,
    windowMs: number,
    cost: number,
    over: (untilMs: number) => void,
  ): void;
}

export class InProcessRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, CounterWindow>();
  /** Keys the shared count found over their limit, until when. */
  readonly #blocked = new Map<string, number>();
  readonly #shared: SharedCount | undefined;
  readonly #now: () => number;

  constructor(shared?: SharedCount, now: () => number = Date.now) {
    this.#shared = shared;
    this.#now = now;
  }

  hit(bucket: string, key: string, limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    return Promise.resolve(this.check(bucket, key, limit, windowMs, cost));
  }

  /** The same decision as `hit`, synchronously. */
  check(bucket: string, key: string, limit: number, windowMs: number, cost = 1): RateDecision {
    const id = `${bucket}:${key}`;
    const now = this.#now();
    const blockedUntil = this.#blocked.size === 0 ? undefined : this.#blocked.get(id);
    if (blockedUntil !== undefined) {
      if (blockedUntil > now && cost >= 0)
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)),
          remaining: 0,
        };
      if (blockedUntil <= now) this.#blocked.delete(id);
    }
    const current = this.#windows.get(id);
    const { decision, next } = countHit(current, now, limit, windowMs, cost);
    // Hits counted, or given back (off a live window here): the shared count hears of both, or a
    // key whose attempts are refused and given back would pile up there and be blocked everywhere.
    const counted =
      cost > 0 ? (decision.allowed ? cost : 0) : next && current ? next.count - current.count : 0;
    if (next && current) {
      // The same key's window, moved on in place: no second lookup of the key.
      current.count = next.count;
      current.resetAt = next.resetAt;
    } else if (next) {
      if (this.#windows.size >= SWEEP_AT) this.#sweep(now);
      this.#windows.set(id, next);
    }
    if (counted !== 0)
      this.#shared?.report(bucket, key, limit, windowMs, counted, (until) => this.#block(id, until));
    return decision;
  }

  #block(id: string, until: number): void {
    if (until > this.#now()) this.#blocked.set(id, until);
  }

  #sweep(now: number): void {
    for (const [id, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(id);
    for (const [id, until] of this.#blocked) if (until <= now) this.#blocked.delete(id);
  }
}
