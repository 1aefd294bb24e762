// A seeded random source for tests (mulberry32, with rejection sampling like the real one), so a
// statistical test sees the same numbers on every run.
import type { RandomSource } from '../../../../src/domain/queue/index.ts';

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    below(n) {
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const value = next();
        if (value < limit) return value % n;
      }
    },
  };
}
