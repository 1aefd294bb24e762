// Log lines never carry passwords, tokens or card numbers, whatever shape they arrive in.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, mask, maskPath, maybeSecret } from '../../../src/log.ts';

const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6IlVTRVIifQ.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('maybeSecret', () => {
  // What each masking pattern needs, as one regular expression: a JWT's "eyJ" as its pattern spells
  // it (case matters there), "bearer" in any case, twelve digits apart by at most one separator each.
  const NEEDS = /eyJ|[Bb][Ee][Aa][Rr][Ee][Rr]|\d(?:[ ._-]?\d){11}/;
  const text = fc
    .array(
      fc.constantFrom(
        ...'0123456789 ._-/:aBeEyYjJbearERx'.split(''),
        '--',
        '1 2',
        'eyJ',
        'EyJ',
        'Bearer ',
        'BEARER ',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('rules a string out exactly when none of the patterns could match it', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (value) => {
        expect(maybeSecret(value)).toBe(NEEDS.test(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it('never rules out a string that masking would change', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (value) => {
        if (!maybeSecret(value)) expect(mask(value)).toBe(value);
      }),
      { numRuns: 5_000 },
    );
    for (const secret of [JWT, `Bearer ${JWT}`, 'BEARER abc.def', '4242 4242 4242 4242']) {
      expect(maybeSecret(secret)).toBe(true);
      expect(mask(secret)).not.toBe(secret);
    }
  });

  it('finds card digits grouped by single separators, not by doubled ones', () => {
    expect(maybeSecret('4242 4242 4242 4242')).toBe(true);
    expect(maybeSecret('4242-4242-4242')).toBe(true);
    expect(maybeSecret('4242--4242-4242')).toBe(false);
    expect(maybeSecret('card 42424242424')).toBe(false);
  });
});

describe('mask', () => {
  it('masks fields named like secrets, at any depth and in arrays', () => {
    const masked = mask({
      password: 'hunter2hunter2',
      user: { Password: 'x', pwd: 'y', refreshToken: 'r', accessToken: 'a', apiKey: 'k' },
      list: [{ cardNumber: '4242424242424242', cvc: '123' }],
      authorization: 'Bearer abc',
      holdToken: 'h',
      count: 3,
      empty: null,
    });
    expect(masked).toEqual({
      password: '[masked]',
      user: {
        Password: '[masked]',
        pwd: '[masked]',
        refreshToken: '[masked]',
        accessToken: '[masked]',
        apiKey: '[masked]',
      },
      list: [{ cardNumber: '[masked]', cvc: '[masked]' }],
      authorization: '[masked]',
      holdToken: '[masked]',
      count: 3,
      empty: null,
    });
  });

  it('masks card numbers inside any text, grouped or not, keeping the first six and last four', () => {
    expect(mask('paid with 4242424242424242 ok')).toBe('paid with 424242******4242 ok');
    expect(mask('card 4242 4242 4242 4242')).toBe('card 424242******4242');
    expect(mask('card 4000-0000-0000-0002')).toBe('card 400000******0002');
    expect(mask({ note: 'amex 378282246310005' })).toEqual({ note: 'amex 378282******0005' });
    expect(mask(4242424242424242)).toBe('424242******4242');
  });

  it('leaves ordinary numbers and epoch milliseconds alone', () => {
    expect(mask({ seats: 8, amount: 24000, at: 1764000000000, version: 12 })).toEqual({
      seats: 8,
      amount: 24000,
      at: 1764000000000,
      version: 12,
    });
    expect(mask('reservation MQ-261125-7KQ2MZ for 2 seats')).toBe('reservation MQ-261125-7KQ2MZ for 2 seats');
    for (const id of [
      '1511cdde-3b2d-4e10-be79-901336785412',
      '12345678-1234-4234-9234-123456789012',
      'client-1234567890123',
    ]) {
      expect(mask(`request ${id}`)).toBe(`request ${id}`);
    }
  });

  it('masks card numbers grouped by dots or underscores, and leaves IPv4 addresses alone', () => {
    expect(mask('card 4242.4242.4242.4242')).toBe('card 424242******4242');
    expect(mask('card 4242_4242_4242_4242')).toBe('card 424242******4242');
    expect(mask({ ip: '192.168.100.200', note: 'from 203.0.113.254 at 10.0.0.1' })).toEqual({
      ip: '192.168.100.200',
      note: 'from 203.0.113.254 at 10.0.0.1',
    });
  });

  it('cuts off anything nested deeper than six levels instead of writing it unmasked', () => {
    let deep: Record<string, unknown> = { password: 'hunter2hunter2', card: '4242 4242 4242 4242' };
    for (let level = 0; level < 8; level++) deep = { next: deep, note: 'paid 4242424242424242' };
    const text = JSON.stringify(mask(deep));
    expect(text).not.toMatch(/hunter2|4242 4242|4242424242424242/);
    expect(text).toContain('[truncated]');
    expect(text).toContain('424242******4242');
  });

  it('writes a context nested 10,000 deep as a short line', () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 10_000; level++) deep = { a: deep };
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    log('info', 'deep', { context: deep });
    expect(JSON.parse(String(out.mock.calls[0]?.[0])).context.a.a.a.a.a).toBe('[truncated]');
    out.mockRestore();
  });

  it('masks a card number, JWT or bearer credential wherever it sits in any text', () => {
    // Most strings are ruled out by one scan before the three patterns run: none of these may be.
    const separator = fc.constantFrom('', ' ', '-', '.', '_');
    const card = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 19 }), separator)
      .map(([digits, between]) => ({ text: digits.join(between), digits: digits.join('') }));
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ':', '/', '-', 'e', 'y', 'J') });
    fc.assert(
      fc.property(
        text,
        card,
        text,
        fc.constantFrom('bearer', 'Bearer', 'BEARER'),
        (before, secret, after, word) => {
          const masked = String(mask(`${before} ${secret.text} ${after}`));
          expect(masked).toContain(`${secret.digits.slice(0, 6)}******${secret.digits.slice(-4)}`);
          expect(masked).not.toContain(secret.text);
          expect(mask(`${before} ${JWT} ${after}`)).not.toContain(JWT.split('.')[1]);
          expect(mask(`${before} ${word} abc.def ${after}`)).not.toContain('abc.def');
        },
      ),
    );
  });

  it('masks JWTs and bearer credentials inside text', () => {
    expect(mask(`token was ${JWT}`)).toBe('token was [masked]');
    expect(mask('header Bearer abc.def-ghi')).toBe('header Bearer [masked]');
  });
});

describe('maskPath', () => {
  it('drops the hold token from a release path and leaves other paths alone', () => {
    expect(maskPath('/api/screenings/abc/holds/6f1c1a9e-2b1e')).toBe('/api/screenings/abc/holds/[masked]');
    expect(maskPath('/api/screenings/abc/holds')).toBe('/api/screenings/abc/holds');
    expect(maskPath('/api/movies/42')).toBe('/api/movies/42');
  });
});

describe('log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line, masking the message and the fields', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    log('info', 'card 4242424242424242 used', { password: 'secret-password', nested: { token: JWT } });
    expect(out).toHaveBeenCalledTimes(1);
    const line = String(out.mock.calls[0]![0]);
    expect(JSON.parse(line)).toMatchObject({
      level: 'info',
      message: 'card 424242******4242 used',
      password: '[masked]',
      nested: { token: '[masked]' },
    });
    expect(line).not.toContain('secret-password');
    expect(line).not.toContain(JWT);
  });

  it('stamps each line with the time it was written, to the millisecond', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-12-03T08:00:00.001Z'));
      log('info', 'first');
      log('info', 'second');
      vi.setSystemTime(new Date('2026-12-03T08:00:00.002Z'));
      log('info', 'third');
    } finally {
      vi.useRealTimers();
    }
    const times = out.mock.calls.map((call) => JSON.parse(String(call[0])).time);
    expect(times).toEqual([
      '2026-12-03T08:00:00.001Z',
      '2026-12-03T08:00:00.001Z',
      '2026-12-03T08:00:00.002Z',
    ]);
  });
});
