// Members "logged in before the measured window": inserted straight into the run's database and
// given access tokens signed with the run's JWT_SECRET by the project's own signAccessToken.
// Signing up thousands through the API would only measure PBKDF2 password hashing.
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import type { Database } from '../../src/adapters/db/client.ts';
import { insertMembers } from '../../test/support/screening-fixture.ts';
import { JWT_SECRET } from './settings.ts';

export interface Account {
  id: string;
  loginId: string;
}

export interface Member extends Account {
  token: string;
}

const BATCH = 2_000;

export async function insertBenchMembers(db: Database, count: number): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let done = 0; done < count; done += BATCH) {
    const rows = await insertMembers(db, Math.min(BATCH, count - done));
    accounts.push(...rows.map((row) => ({ id: row.id, loginId: row.loginId })));
  }
  return accounts;
}

/** Access tokens live 15 minutes: sign them just before they are used. */
export function signTokens(accounts: Account[], secret = JWT_SECRET): Promise<Member[]> {
  return Promise.all(
    accounts.map(async (account) => ({
      ...account,
      token: await signAccessToken({ id: account.id, loginId: account.loginId, role: 'USER' }, secret),
    })),
  );
}

/** Members with fresh tokens, for a drill. */
export async function loggedInMembers(db: Database, count: number): Promise<Member[]> {
  return signTokens(await insertBenchMembers(db, count));
}
