// The waiting-room phase's arithmetic: Spearman's rho on known rankings, the fairness check on a
// fair shuffle and on a room that admits in join order, the rate chosen from a capacity and the
// ceiling it sets, per-second peaks and counts, and the admission-time summary (p50/p95/max).
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/flow.ts';
import {
  coordinatorCeiling,
  countPerSecond,
  fairness,
  REQUESTS_PER_ADMISSION,
  rates,
  roomRateFor,
  spearman,
} from '../../../bench/support/room-stats.ts';
import { summarize } from '../../../bench/support/stats.ts';
import { ADMIT_PER_MINUTE } from '../../../src/domain/queue/index.ts';

const shuffled = (n: number, seed: number) => {
  const random = seededRandom(seed);
  const items = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
  return items;
};

describe('spearman', () => {
  it('is 1 for the same ranking, −1 for the reverse, and the textbook value in between', () => {
    expect(spearman([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])).toBe(1);
    expect(spearman([0, 1, 2, 3, 4], [4, 3, 2, 1, 0])).toBe(-1);
    // d = (1, −1, 0, 0): Σd² = 2, 1 − 6·2 / (4·15) = 0.8
    expect(spearman([1, 0, 2, 3], [0, 1, 2, 3])).toBeCloseTo(0.8, 12);
    expect(spearman([0, 1], [0, 1])).toBeNaN();
  });
});

describe('fairness', () => {
  it('passes a uniform shuffle of 2,000 early joiners (seeded), well inside 4/√n', () => {
    const order = shuffled(2000, 7);
    const check = fairness(order.map((joined, admittedAs) => ({ order: joined, at: admittedAs * 10 })));
    expect(check.earlyJoiners).toBe(2000);
    expect(check.bound).toBeCloseTo(4 / Math.sqrt(2000), 12);
    expect(Math.abs(check.rho)).toBeLessThan(check.bound / 2);
    expect(check.fair).toBe(true);
  });

  it('fails a room that admits in join order, and one that admits in reverse', () => {
    const inOrder = fairness(Array.from({ length: 200 }, (_, i) => ({ order: i, at: i })));
    expect(inOrder.rho).toBe(1);
    expect(inOrder.fair).toBe(false);
    const reversed = fairness(Array.from({ length: 200 }, (_, i) => ({ order: i, at: 200 - i })));
    expect(reversed.rho).toBe(-1);
    expect(reversed.fair).toBe(false);
  });

  it('puts one batch (one admission time) in join order, against the check', () => {
    // Everyone admitted in one batch: the tie-break alone orders them, by join, so rho = 1.
    const oneBatch = fairness(shuffled(50, 3).map((joined) => ({ order: joined, at: 5 })));
    expect(oneBatch.rho).toBe(1);
    expect(oneBatch.fair).toBe(false);
  });

  it('ranks only the members it saw: join orders need not be dense', () => {
    const check = fairness([
      { order: 40, at: 1 },
      { order: 7, at: 2 },
      { order: 900, at: 3 },
    ]);
    // join ranks by admission: 40 → 1, 7 → 0, 900 → 2; against 0, 1, 2: Σd² = 2, 1 − 12/24
    expect(check.rho).toBeCloseTo(0.5, 12);
  });
});

describe('the room rate and its ceiling', () => {
  it('gives the coordinator half its measured capacity, each admission asking six times', () => {
    expect(REQUESTS_PER_ADMISSION).toBe(6);
    // 430 requests/s measured: 215 for the room, 35.8 admissions a second, 2,150 a minute
    expect(roomRateFor(430)).toBe(2150);
    expect(coordinatorCeiling(roomRateFor(430))).toBeLessThanOrEqual(215);
    expect(coordinatorCeiling(2150)).toBeCloseTo(215, 12);
    expect(coordinatorCeiling(1200)).toBe(120);
  });

  it("stays within the room's bounds", () => {
    expect(roomRateFor(0)).toBe(ADMIT_PER_MINUTE.min);
    expect(roomRateFor(Number.NaN)).toBe(ADMIT_PER_MINUTE.min);
    expect(roomRateFor(1e9)).toBe(ADMIT_PER_MINUTE.max);
  });
});

describe('rates and counts per second', () => {
  it('peaks over 1 s and 5 s windows, the mean over the seconds up to the last event', () => {
    // From origin 1,000: 3 events in second 0, 1 in second 2, 6 in second 7 (the last at 7.5 s).
    const times = [1000, 1500, 1999, 3000, ...Array.from({ length: 6 }, (_, i) => 8000 + i * 100)];
    const found = rates(times, 1000);
    expect(found.peak).toBe(6);
    expect(found.peak5s).toBe(6 / 5);
    expect(found.mean).toBe(10 / 8);
    // Under 5 s of events there is no 5-second window to speak of.
    expect(rates([1000, 1500, 2200], 1000)).toEqual({ mean: 3 / 2, peak: 2, peak5s: Number.NaN });
    expect(countPerSecond(times, 1000)).toEqual([3, 0, 1, 0, 0, 0, 0, 6]);
    expect(countPerSecond([500, 1200], 1000)).toEqual([1]);
    expect(rates([], 0)).toEqual({ mean: 0, peak: 0, peak5s: Number.NaN });
  });
});

describe('the admission-time summary', () => {
  it('gives nearest-rank p50, p95 and the largest value', () => {
    const times = Array.from({ length: 100 }, (_, i) => (i + 1) * 100);
    const summary = summarize([...times].reverse());
    expect(summary).toEqual({ count: 100, p50: 5000, p95: 9500, p99: 9900, max: 10000 });
    expect(summarize([]).max).toBeNaN();
  });
});
