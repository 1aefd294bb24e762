// The rate-limiter port: fixed-window counters, either counted in the isolate or process and
// reconciled with a shared count in the background (approximate, no round trip), or shared exactly
// by every isolate or process (a Durable Object on Workers, Redis on Deno/Node). Used against
// scripts at a sale opening.
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After), at least 1 when not allowed. */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  /**
   * Counts `cost` hits (default 1) against `key` in `bucket`, allowing at most `limit` per window of
   * `windowMs`. Not allowed once the count would pass the limit; a refused hit is not counted.
   * A `cost` of 0 only looks: allowed when one more hit would be, and nothing is counted. A negative
   * `cost` gives hits back to the current window (never below zero, never opening one); always allowed.
   */
  hit(bucket: string, key: string, limit: number, windowMs: number, cost?: number): Promise<RateDecision>;
}
