// The waiting-room phase's arithmetic, apart from any server: the room's rate chosen from the
// measured capacity, the ceiling that rate puts on the seat coordinator, events per second over
// 1-second and 5-second windows, and the fairness check (Spearman's rank correlation between the
// order members joined in and the order the room admitted them in).
import { ADMIT_PER_MINUTE } from '../../src/domain/queue/index.ts';

/** An admitted member tries this many times (seat map, then a hold) before giving up. */
export const HOLD_TRIES = 3;
/** What one admission may ask the seat coordinator at most: a seat-map read and a hold per try. */
export const REQUESTS_PER_ADMISSION = 2 * HOLD_TRIES;
/** The share of the measured capacity the room's ceiling may use (bursts within a second go above). */
export const CAPACITY_SHARE = 0.5;

/**
 * Admissions a minute from the coordinator's measured capacity (requests/s it answered on the hold
 * path under fixed load): the ceiling, every admission asking REQUESTS_PER_ADMISSION times, stays
 * at CAPACITY_SHARE of it. Within the room's bounds.
 */
export function roomRateFor(capacityRequestsPerSecond: number): number {
  const perMinute = Math.floor(((capacityRequestsPerSecond * CAPACITY_SHARE) / REQUESTS_PER_ADMISSION) * 60);
  if (!Number.isFinite(perMinute)) return ADMIT_PER_MINUTE.min;
  return Math.min(ADMIT_PER_MINUTE.max, Math.max(ADMIT_PER_MINUTE.min, perMinute));
}

/** The requests/s the room lets reach the coordinator at most: its rate a second, each asking all it may. */
export function coordinatorCeiling(admitPerMinute: number): number {
  return (admitPerMinute / 60) * REQUESTS_PER_ADMISSION;
}

export interface Rates {
  /** Events ÷ the whole seconds from `origin` to the last event (at least 1). */
  mean: number;
  /** The busiest 1-second window, and the busiest 5-second one per second (NaN under 5 s of events). */
  peak: number;
  peak5s: number;
}

/** Events (ms times) per second from `origin`: the mean, and the peaks over fixed windows. */
export function rates(times: number[], origin: number): Rates {
  const peakOver = (windowMs: number) => {
    const buckets = new Map<number, number>();
    for (const at of times) {
      const bucket = Math.floor((at - origin) / windowMs);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    let busiest = 0;
    for (const count of buckets.values()) busiest = Math.max(busiest, count);
    return busiest / (windowMs / 1000);
  };
  const last = times.reduce((latest, at) => Math.max(latest, at), origin);
  const seconds = Math.max(1, Math.ceil((last - origin) / 1000));
  return {
    mean: times.length / seconds,
    peak: peakOver(1000),
    peak5s: seconds >= 5 ? peakOver(5000) : Number.NaN,
  };
}

/** Events in each second from `origin` (second 0 holds [origin, origin + 1 s)); none before it. */
export function countPerSecond(times: number[], origin: number): number[] {
  const counts: number[] = [];
  for (const at of times) {
    if (at < origin) continue;
    const second = Math.floor((at - origin) / 1000);
    while (counts.length <= second) counts.push(0);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return counts;
}

/** Spearman's rho of two rankings of the same items (ranks 0..n−1, no ties); NaN under 3 items. */
export function spearman(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 3 || b.length !== n) return Number.NaN;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((a[i] as number) - (b[i] as number)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

export interface Fairness {
  /** Admitted members who joined before the opening (all of them, in the bench). */
  earlyJoiners: number;
  /** Spearman's rho of join order against admission order: about 0 for a fair draw. */
  rho: number;
  /** 4/√n: about four standard deviations of rho under a uniform draw (its is 1/√(n − 1)). */
  bound: number;
  /** |rho| ≤ bound (true with too few to tell). */
  fair: boolean;
}

/**
 * The fairness check over the admitted early joiners: `order` is the join order, `at` the room's
 * admission time. Admissions of one batch share a time; those are put in join order, which can
 * only push rho up (against the check, never for it).
 */
export function fairness(admitted: { order: number; at: number }[]): Fairness {
  const byAdmission = [...admitted].sort((x, y) => x.at - y.at || x.order - y.order);
  const joinRank = new Map(
    [...byAdmission].sort((x, y) => x.order - y.order).map((e, rank) => [e.order, rank]),
  );
  const n = byAdmission.length;
  const rho = spearman(
    byAdmission.map((entry) => joinRank.get(entry.order) as number),
    byAdmission.map((_, rank) => rank),
  );
  const bound = 4 / Math.sqrt(Math.max(1, n));
  return { earlyJoiners: n, rho, bound, fair: !(Math.abs(rho) > bound) };
}
