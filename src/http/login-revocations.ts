// An access token lives 15 minutes, but a member whose password or role changes, or who is deleted,
// must lose access within seconds. Postgres records those moments (a trigger fills
// login_revocations); each isolate or process keeps the ones younger than an access token in
// memory and reads them again in one query shared by every request: after a request that went well,
// once the list is older than REFRESH_MS, so no request waits for it before its own work (and bad
// input never leads to a read); before a request only when the list is older than MAX_AGE_MS (a cold
// or idle isolate). If Postgres cannot answer, the last list read is kept.
import { ACCESS_TOKEN_SECONDS } from '../adapters/auth/tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import { loginRevocationsSince } from '../adapters/db/member-repository.ts';
import { log } from '../log.ts';

export const REFRESH_MS = 5_000;
export const MAX_AGE_MS = 30_000;

let revoked = new Map<string, number>();
let readAt = Number.NEGATIVE_INFINITY;
let reading: Promise<void> | undefined;

/** True when the member's logins ended after a token issued at `issuedAtMs`. */
export async function loginEnded(db: () => Database, memberId: string, issuedAtMs: number): Promise<boolean> {
  if (Date.now() - readAt > MAX_AGE_MS) await read(db);
  const at = revoked.get(memberId);
  return at !== undefined && issuedAtMs < at;
}

/** Reads the list again when it is older than REFRESH_MS; called once a request has done its work. */
export function refreshLoginRevocations(db: () => Database): Promise<void> {
  return Date.now() - readAt > REFRESH_MS ? read(db) : Promise.resolve();
}

function read(db: () => Database): Promise<void> {
  const since = new Date(Date.now() - ACCESS_TOKEN_SECONDS * 1000 - MAX_AGE_MS);
  reading ??= Promise.resolve()
    .then(() => loginRevocationsSince(db(), since))
    .then((list) => {
      revoked = list;
    })
    .catch((error: unknown) => {
      log('warn', 'login revocations could not be read; keeping the last list', { error: String(error) });
    })
    .finally(() => {
      // Also after a failure: tried again later, not by every request meanwhile.
      readAt = Date.now();
      reading = undefined;
    });
  return reading;
}
