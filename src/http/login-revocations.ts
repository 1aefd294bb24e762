// An access token lives 15 minutes, but a member whose password or role changes, or who is deleted,
// must lose access within seconds. Postgres records those moments (a trigger fills
// login_revocations); each isolate or process keeps the ones younger than an access token in
// memory and reads them again, one query at a time: after a request that went well, once the list
// is older than REFRESH_MS, so no request waits for it before its own work (and bad input never
// leads to a read); before a request only when the list is older than MAX_AGE_MS (a cold or idle
// isolate). A request that needs the list while another request reads it waits for that answer on
// its own clock, never on the other's promise (on Workers a request may not wait on another
// request's I/O), and reads itself if none came in time (remembered-reads.ts). If Postgres cannot
// answer, the last list read is kept.
import { ACCESS_TOKEN_SECONDS } from '../adapters/auth/tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import { loginRevocationsSince } from '../adapters/db/member-repository.ts';
import { log } from '../log.ts';
import { readUnderWay, waitOnOwnClock } from '../services/remembered-reads.ts';

export const REFRESH_MS = 5_000;
export const MAX_AGE_MS = 30_000;

let revoked = new Map<string, number>();
let readAt = Number.NEGATIVE_INFINITY;
/** When the read under way started (see readUnderWay: an old one counts as abandoned). */
let readingSince: number | undefined;

/** True when the member's logins ended after a token issued at `issuedAtMs`. */
export async function loginEnded(db: () => Database, memberId: string, issuedAtMs: number): Promise<boolean> {
  if (Date.now() - readAt > MAX_AGE_MS) {
    const since = readingSince;
    if (since !== undefined) await waitOnOwnClock(() => readingSince !== since, since);
    if (Date.now() - readAt > MAX_AGE_MS) await read(db);
  }
  const at = revoked.get(memberId);
  return at !== undefined && issuedAtMs < at;
}

/** Reads the list again when it is older than REFRESH_MS and nobody reads it; called after a request's work. */
export async function refreshLoginRevocations(db: () => Database): Promise<void> {
  if (!readUnderWay(readingSince) && Date.now() - readAt > REFRESH_MS) await read(db);
}

async function read(db: () => Database): Promise<void> {
  const startedAt = Date.now();
  readingSince = startedAt;
  const since = new Date(startedAt - ACCESS_TOKEN_SECONDS * 1000 - MAX_AGE_MS);
  try {
    revoked = await loginRevocationsSince(db(), since);
  } catch (error) {
    log('warn', 'login revocations could not be read; keeping the last list', { error: String(error) });
  } finally {
    // Also after a failure: tried again later, not by every request meanwhile.
    readAt = Date.now();
    if (readingSince === startedAt) readingSince = undefined;
  }
}
