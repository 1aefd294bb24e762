// The fixed-window rule every rate limiter follows (the Redis adapter runs the same rule as a Lua
// script): a window opens at its first counted hit and lasts windowMs; refused hits are not counted;
// a negative cost gives hits back to an open window.
import type { RateDecision } from '../../ports/rate-limiter.ts';

export interface CounterWindow {
  count: number;
  /** Epoch ms when the window ends. */
  resetAt: number;
}

export interface CountedHit {
  decision: RateDecision;
  /** The window to store, or null when nothing changed (refused, or a look with cost 0). */
  next: CounterWindow | null;
}

export function countHit(
  current: CounterWindow | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost = 1,
): CountedHit {
  const live = current && current.resetAt > now ? current : undefined;
  if (cost < 0) {
    // Hits given back (an attempt that turned out not to count): never below zero, never a new window.
    const count = Math.max(0, (live?.count ?? 0) + cost);
    return {
      decision: { allowed: true, retryAfterSeconds: 1, remaining: Math.max(0, limit - count) },
      next: live && count !== live.count ? { count, resetAt: live.resetAt } : null,
    };
  }
  const open = live ?? { count: 0, resetAt: now + windowMs };
  const allowed = open.count + Math.max(cost, 1) <= limit;
  const count = allowed ? open.count + cost : open.count;
  return {
    decision: {
      allowed,
      retryAfterSeconds: Math.max(1, Math.ceil((open.resetAt - now) / 1000)),
      remaining: Math.max(0, limit - count),
    },
    next: allowed && cost > 0 ? { count, resetAt: open.resetAt } : null,
  };
}
