// The draw is a uniform shuffle: over many seeded draws every one of the 5! orders comes up about
// equally often. The bound is a chi-square critical value at p = 1e-6, so a uniform shuffle passes
// it on essentially every seed, and the classic biased shuffle (swap each with any position) fails
// it by a wide margin: the test cannot pass by accident.
import { describe, expect, it } from 'vitest';
import { cryptoRandom, drawOrder, type RandomSource } from '../../../../src/domain/queue/index.ts';
import { seededRandom } from './seeded-random.ts';

const ITEMS = 5;
const ORDERS = 120; // 5!
const DRAWS = 120_000; // 1,000 expected per order
/** Chi-square with 119 degrees of freedom: P(X > 190) < 1e-6. */
const BOUND = 190;

function chiSquare(shuffle: (random: RandomSource) => number[], random: RandomSource): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < DRAWS; i++) {
    const key = shuffle(random).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const expected = DRAWS / ORDERS;
  let statistic = 0;
  for (const count of counts.values()) statistic += (count - expected) ** 2 / expected;
  statistic += (ORDERS - counts.size) * expected; // orders never drawn
  return statistic;
}

/** The textbook mistake: swapping each place with any place gives n^n paths over n! orders. */
function biasedShuffle(random: RandomSource): number[] {
  const order = Array.from({ length: ITEMS }, (_, i) => i);
  for (let i = 0; i < ITEMS; i++) {
    const j = random.below(ITEMS);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

describe('the draw', () => {
  it('is a permutation of every place', () => {
    const order = drawOrder(1000, seededRandom(7));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(drawOrder(0)).toEqual([]);
    expect(drawOrder(1)).toEqual([0]);
  });

  it('gives every order of 5 joiners the same chance (chi-square over 120,000 seeded draws)', () => {
    const statistic = chiSquare((random) => drawOrder(ITEMS, random), seededRandom(20261201));
    expect(statistic).toBeLessThan(BOUND);
  });

  it('has a bound that a biased shuffle fails', () => {
    expect(chiSquare(biasedShuffle, seededRandom(20261201))).toBeGreaterThan(BOUND * 10);
  });

  it('is uniform with the cryptographic source too, and gives each joiner every place', () => {
    const places = Array.from({ length: ITEMS }, () => new Array<number>(ITEMS).fill(0));
    for (let i = 0; i < 20_000; i++) {
      drawOrder(ITEMS, cryptoRandom).forEach((place, joiner) => {
        (places[joiner] as number[])[place]! += 1;
      });
    }
    // 4,000 expected per cell, standard deviation about 57: 400 off is seven of them.
    for (const row of places) for (const count of row) expect(Math.abs(count - 4000)).toBeLessThan(400);
  });

  it('refuses to draw below anything but a positive integer', () => {
    expect(() => cryptoRandom.below(0)).toThrow(RangeError);
    expect(() => cryptoRandom.below(1.5)).toThrow(RangeError);
    expect(cryptoRandom.below(1)).toBe(0);
  });
});
