// An access token lives 15 minutes, but a member who is deleted or whose role changes must lose
// what the token grants within seconds. Each isolate (or process) remembers every member's current
// role for a few seconds, so the hot path pays at most one Postgres read per member per window
// instead of one per request. If Postgres cannot answer, the token's own word is taken (as it was
// before this check) rather than refusing everyone.
import type { Role } from '../adapters/auth/tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import { findMemberById } from '../adapters/db/member-repository.ts';
import { log } from './log.ts';

export const STANDING_REMEMBER_MS = 5_000;
const MAX_REMEMBERED = 50_000;
/** The member's role now, or null when the member no longer exists. */
const known = new Map<string, { role: Role | null; until: number }>();
const inFlight = new Map<string, Promise<Role | null>>();

/** The member's current role (null: deleted), at most STANDING_REMEMBER_MS old; undefined if unknown. */
export async function currentRole(db: () => Database, memberId: string): Promise<Role | null | undefined> {
  const remembered = known.get(memberId);
  if (remembered !== undefined && remembered.until > Date.now()) return remembered.role;
  let lookup = inFlight.get(memberId);
  if (!lookup) {
    lookup = readRole(db, memberId).finally(() => inFlight.delete(memberId));
    inFlight.set(memberId, lookup);
  }
  try {
    const role = await lookup;
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(memberId, { role, until: Date.now() + STANDING_REMEMBER_MS });
    return role;
  } catch (error) {
    log('warn', 'member standing unknown; the access token is trusted', { error: String(error) });
    return remembered?.role;
  }
}

async function readRole(db: () => Database, memberId: string): Promise<Role | null> {
  return (await findMemberById(db(), memberId))?.role ?? null;
}
