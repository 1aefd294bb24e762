import { describe, expect, it } from 'vitest';
import { adminPasswordProblem } from '../../../src/domain/credentials.ts';
import { AdminAccountError, checkAdminCredentials } from '../../../src/services/admin-account-service.ts';

describe('admin credentials', () => {
  it('accepts a long, varied password', () => {
    expect(adminPasswordProblem('opening-night-2026', 'first_admin')).toBeUndefined();
    expect(() => checkAdminCredentials('first_admin', 'opening-night-2026')).not.toThrow();
  });

  it.each([
    ['short-pw', 'it must be at least 12 characters'],
    ['x'.repeat(73), 'it must be at most 72 characters'],
    ['marquee-admin', 'it is the development default'],
    ['my-First_Admin-pass', 'it contains the login id'],
    ['abababababab', 'it repeats too few different characters'],
  ])('refuses %s: %s', (password, problem) => {
    expect(adminPasswordProblem(password, 'first_admin')).toBe(problem);
    expect(() => checkAdminCredentials('first_admin', password)).toThrow(
      new AdminAccountError(`the password is too weak: ${problem}`),
    );
  });

  it.each(['No Spaces', 'abc', 'a'.repeat(33), 'UPPER'])('refuses the login id %j', (loginId) => {
    expect(() => checkAdminCredentials(loginId, 'opening-night-2026')).toThrow(
      `login id "${loginId}" must be 4 to 32 of a-z, 0-9 and _`,
    );
  });
});
