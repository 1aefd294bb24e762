// Rate limits against scripts at a sale opening (API.md, Settings): per client IP across the API, on
// login, signup and client logs; per member on holds and payments; per account on failed logins;
// seats held per client IP (a budget counted in seats, given back when the hold is refused).
// Over the limit: 429 RATE_LIMITED with Retry-After. Most limits are answered by the runtime's
// in-process limiter (no round trip; approximate across isolates/processes); the few that must be
// exact (`exact: true`: failed logins per account, sign-ups per hour) by its shared counters.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Settings } from '../../config/settings.ts';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv } from '../context.ts';
import type { AuthEnv } from './auth.ts';

const MINUTE = 60_000;

export interface Limit {
  /** The counter's name; keys are counted per bucket. */
  bucket: string;
  limit: (settings: Settings) => number;
  windowMs: number;
  /** Counted exactly across the deployment (a shared counter, awaited) instead of in the process. */
  exact?: boolean;
}

export const LIMITS = {
  requests: { bucket: 'ip', limit: (s) => s.REQUESTS_PER_IP_PER_MINUTE, windowMs: MINUTE },
  logins: { bucket: 'login-ip', limit: (s) => s.LOGINS_PER_IP_PER_MINUTE, windowMs: MINUTE },
  loginFailures: {
    bucket: 'login-failures',
    limit: (s) => s.LOGIN_FAILURES_PER_ACCOUNT,
    windowMs: 15 * MINUTE,
    exact: true,
  },
  signups: {
    bucket: 'signup-ip',
    limit: (s) => s.SIGNUPS_PER_IP_PER_HOUR,
    windowMs: 60 * MINUTE,
    exact: true,
  },
  holds: { bucket: 'holds', limit: (s) => s.HOLDS_PER_USER_PER_MINUTE, windowMs: MINUTE },
  payments: { bucket: 'payments', limit: (s) => s.PAYMENTS_PER_USER_PER_MINUTE, windowMs: MINUTE },
  clientLogs: { bucket: 'logs-ip', limit: (s) => s.LOGS_PER_IP_PER_MINUTE, windowMs: MINUTE },
  holdSeats: { bucket: 'hold-seats-ip', limit: (s) => s.HOLD_SEATS_PER_IP_PER_HOUR, windowMs: 60 * MINUTE },
} satisfies Record<string, Limit>;

/** Counts `cost` hits of `key` (0 only looks); throws 429 RATE_LIMITED when the limit is used up. */
export async function enforce<E extends AppEnv>(
  c: Context<E>,
  limit: Limit,
  key: string,
  cost = 1,
): Promise<void> {
  const decision = await limiterOf(c, limit).hit(
    limit.bucket,
    key,
    limit.limit(c.get('settings')),
    limit.windowMs,
    cost,
  );
  if (!decision.allowed) {
    const retryAfter = decision.retryAfterSeconds;
    throw new AppError('RATE_LIMITED', `too many requests; try again in ${retryAfter} s`, { retryAfter });
  }
}

const limiterOf = <E extends AppEnv>(c: Context<E>, limit: Limit) =>
  limit.exact ? c.get('runtime').exactRateLimiter : c.get('runtime').rateLimiter;

export const limitPerIp = (limit: Limit) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforce(c, limit, c.get('runtime').clientIp(c));
    await next();
  });

/** Behind requireUser: counts the member, wherever they call from. */
export const limitPerMember = (limit: Limit) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    await enforce(c, limit, c.get('member').id);
    await next();
  });

/**
 * Runs `attempt` unless `key` has used up its failures in `limit`'s window (then 429, whatever the
 * attempt would have said). Every attempt is counted before it runs, so attempts sent at once are
 * limited exactly like attempts sent one after another; one that ends in anything but a failure
 * `isFailure` recognises gives its count back.
 */
export async function unlessTooManyFailures<T>(
  c: Context<AppEnv>,
  limit: Limit,
  key: string,
  isFailure: (error: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  await enforce(c, limit, key);
  const giveBack = () =>
    limiterOf(c, limit).hit(limit.bucket, key, limit.limit(c.get('settings')), limit.windowMs, -1);
  try {
    const result = await attempt();
    await giveBack();
    return result;
  } catch (error) {
    if (!isFailure(error)) await giveBack();
    throw error;
  }
}

/**
 * Spends `cost` of `key`'s budget in `limit` before `attempt` runs (so a burst is limited like a
 * sequence), and gives it back if the attempt fails: only what succeeded is counted.
 */
export async function spendPerIpOnSuccess<T, E extends AppEnv>(
  c: Context<E>,
  limit: Limit,
  cost: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const key = c.get('runtime').clientIp(c as unknown as Context<AppEnv>);
  await enforce(c, limit, key, cost);
  try {
    return await attempt();
  } catch (error) {
    await c
      .get('runtime')
      .rateLimiter.hit(limit.bucket, key, limit.limit(c.get('settings')), limit.windowMs, -cost);
    throw error;
  }
}
