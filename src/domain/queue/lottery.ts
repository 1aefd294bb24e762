// The draw at a sale's opening: everyone who joined before `salesOpenAt` is put in one uniformly
// random order. Fisher–Yates over a random source that gives unbiased integers; the default source
// is the platform's CSPRNG (crypto.getRandomValues, present on Workers, Node and Deno), tests pass
// a seeded one.

/** Uniform integers in [0, n). */
export interface RandomSource {
  below(n: number): number;
}

const RANGE = 2 ** 32;

/** crypto.getRandomValues with rejection sampling, so no value is likelier than another. */
export const cryptoRandom: RandomSource = {
  below(n) {
    if (!Number.isInteger(n) || n < 1 || n > RANGE) throw new RangeError(`cannot draw below ${n}`);
    const limit = RANGE - (RANGE % n); // the largest multiple of n that fits: no modulo bias
    const word = new Uint32Array(1);
    for (;;) {
      crypto.getRandomValues(word);
      const value = word[0] as number;
      if (value < limit) return value % n;
    }
  },
};

/**
 * A uniformly random permutation of 0..count-1: `order[i]` is the place (0-based) that the i-th
 * joiner gets. Every one of the count! orders is equally likely when `random` is uniform.
 */
export function drawOrder(count: number, random: RandomSource = cryptoRandom): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.below(i + 1);
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
