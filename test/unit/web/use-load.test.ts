// The page's loads (web/src/hooks/use-load.ts): an answer is shown only for what it was loaded for.
import { describe, expect, it } from 'vitest';
import { answers } from '../../../web/src/hooks/use-load.ts';

describe('a loaded answer', () => {
  it('is the view’s only when it was loaded for the same dependencies', () => {
    expect(answers(['2026-12-04', ''], ['2026-12-04', ''])).toBe(true);
    expect(answers([], [])).toBe(true);
    // The day just picked: what was loaded for the day before is not this view's.
    expect(answers(['2026-12-04', ''], ['2026-12-05', ''])).toBe(false);
    expect(answers(['2026-12-04'], ['2026-12-04', 'movie'])).toBe(false);
    // Nothing loaded yet.
    expect(answers(undefined, [])).toBe(false);
    // Compared as useEffect compares: by identity, NaN equal to itself.
    expect(answers([Number.NaN], [Number.NaN])).toBe(true);
    expect(answers([{}], [{}])).toBe(false);
  });
});
