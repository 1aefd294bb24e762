// Members, their refresh tokens and when their logins last ended. Rotation is a conditional update,
// so two requests presenting the same refresh token cannot both succeed.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { loginRevocations, members, refreshTokens } from './schema.ts';

export async function insertMember(db: Database, loginId: string, passwordHash: string) {
  const [member] = await db
    .insert(members)
    .values({ loginId, passwordHash, role: 'USER' })
    .returning({ id: members.id, loginId: members.loginId, role: members.role });
  if (!member) throw new Error('insert returned no row');
  return member;
}

export async function findMemberByLoginId(db: Database, loginId: string) {
  const [member] = await db.select().from(members).where(eq(members.loginId, loginId));
  return member;
}

export async function findMemberById(db: Database, id: string) {
  const [member] = await db
    .select({ id: members.id, loginId: members.loginId, role: members.role })
    .from(members)
    .where(eq(members.id, id));
  return member;
}

export async function insertRefreshToken(
  db: Database,
  token: { memberId: string; familyId: string; tokenHash: string; expiresAt: Date },
) {
  await db.insert(refreshTokens).values(token);
}

export async function findRefreshToken(db: Database, tokenHash: string) {
  const [token] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
  return token;
}

/** Revokes one live token; false when it was already revoked (someone used it first). */
export async function revokeRefreshToken(db: Database, id: string): Promise<boolean> {
  const revoked = await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return revoked.length === 1;
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Members whose logins ended (password or role changed, or deleted) after `since`, with the moment. */
export async function loginRevocationsSince(db: Database, since: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ memberId: loginRevocations.memberId, revokedAt: loginRevocations.revokedAt })
    .from(loginRevocations)
    .where(gt(loginRevocations.revokedAt, since));
  return new Map(rows.map((row) => [row.memberId, row.revokedAt.getTime()]));
}

/** A new ADMIN member; undefined when the login id is taken. */
export async function insertAdmin(db: Database, loginId: string, passwordHash: string) {
  const [member] = await db
    .insert(members)
    .values({ loginId, passwordHash, role: 'ADMIN' })
    .onConflictDoNothing({ target: members.loginId })
    .returning({ id: members.id, loginId: members.loginId, role: members.role });
  return member;
}

/**
 * Sets a member's password and revokes every live refresh token of theirs in one transaction, so
 * no session started with the old password can be refreshed (the members trigger of migration 0005
 * would revoke them too, and records the moment, which ends older access tokens). Undefined when
 * no such member.
 */
export async function replacePassword(db: Database, loginId: string, passwordHash: string) {
  return db.transaction(async (tx) => {
    const [found] = await tx.select({ id: members.id }).from(members).where(eq(members.loginId, loginId));
    if (!found) return undefined;
    // Revoked before the update, so the count says how many sessions the reset ended.
    const revoked = await tx
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.memberId, found.id), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    const [member] = await tx
      .update(members)
      .set({ passwordHash })
      .where(eq(members.id, found.id))
      .returning({ id: members.id, loginId: members.loginId, role: members.role });
    return member && { ...member, revokedTokens: revoked.length };
  });
}
