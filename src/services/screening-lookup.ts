// Confirms in Postgres that a screening exists before any coordinator is asked about it, so a junk
// id never creates an actor or Redis keys, and answers with the id as Postgres spells it: the one
// name of the screening's coordinator, whatever spelling the caller used. Positive answers are
// remembered briefly per isolate.
import { eq } from 'drizzle-orm';
import type { Database } from '../adapters/db/client.ts';
import { screenings } from '../adapters/db/schema.ts';
import { AppError } from '../domain/errors.ts';

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 10_000;
const known = new Map<string, { id: string; until: number }>();
/** One lookup per screening at a time: a sale opening's first thousand requests share it. */
const inFlight = new Map<string, Promise<string | undefined>>();

/** The screening's canonical id; 404 NOT_FOUND when there is no such screening. */
export async function requireScreening(db: () => Database, screeningId: string): Promise<string> {
  const remembered = known.get(screeningId);
  if (remembered !== undefined && remembered.until > Date.now()) return remembered.id;
  let lookup = inFlight.get(screeningId);
  if (!lookup) {
    lookup = canonicalId(db(), screeningId).finally(() => inFlight.delete(screeningId));
    inFlight.set(screeningId, lookup);
  }
  const id = await lookup;
  if (id === undefined) throw new AppError('NOT_FOUND', 'no such screening');
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(screeningId, { id, until: Date.now() + REMEMBER_MS });
  return id;
}

async function canonicalId(db: Database, screeningId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: screenings.id }).from(screenings).where(eq(screenings.id, screeningId));
  return row?.id;
}

/** Called when a screening is deleted, so this isolate stops vouching for it at once. */
export function forgetScreening(screeningId: string): void {
  for (const [spelling, remembered] of known) if (remembered.id === screeningId) known.delete(spelling);
}
