// The operator's admin accounts (`npm run admin`): create one, or reset a member's password, which
// also ends that member's sessions. Passwords are checked here, whoever calls.
import { hashPassword } from '../adapters/auth/password.ts';
import type { Database } from '../adapters/db/client.ts';
import { insertAdmin, replacePassword } from '../adapters/db/member-repository.ts';
import { adminPasswordProblem, LOGIN_ID_PATTERN } from '../domain/credentials.ts';

export class AdminAccountError extends Error {
  override name = 'AdminAccountError';
}

export function checkAdminCredentials(loginId: string, password: string): void {
  if (!LOGIN_ID_PATTERN.test(loginId))
    throw new AdminAccountError(`login id "${loginId}" must be 4 to 32 of a-z, 0-9 and _`);
  const problem = adminPasswordProblem(password, loginId);
  if (problem) throw new AdminAccountError(`the password is too weak: ${problem}`);
}

export async function createAdmin(db: Database, loginId: string, password: string) {
  checkAdminCredentials(loginId, password);
  const admin = await insertAdmin(db, loginId, await hashPassword(password));
  if (!admin)
    throw new AdminAccountError(
      `login id "${loginId}" is already taken; use reset-password to change its password`,
    );
  return admin;
}

export async function resetPassword(db: Database, loginId: string, password: string) {
  checkAdminCredentials(loginId, password);
  const member = await replacePassword(db, loginId, await hashPassword(password));
  if (!member) throw new AdminAccountError(`no member has login id "${loginId}"`);
  return member;
}
