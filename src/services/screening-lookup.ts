// Confirms in Postgres that a screening exists before any coordinator is asked about it, so a junk
// id never creates an actor or Redis keys, and answers with the id as Postgres spells it: the one
// name of the screening's coordinator, whatever spelling the caller used. Positive answers are
// remembered briefly per isolate (remembered-reads.ts).
import { eq } from 'drizzle-orm';
import type { Database } from '../adapters/db/client.ts';
import { screenings } from '../adapters/db/schema.ts';
import { AppError } from '../domain/errors.ts';
import { RememberedReads } from './remembered-reads.ts';

/** Positive answers only: a screening created a moment later is found at once. */
const known = new RememberedReads<string | undefined>({
  ttlMs: 60_000,
  max: 10_000,
  keep: (id) => id !== undefined,
});

/** The screening's canonical id; 404 NOT_FOUND when there is no such screening. */
export async function requireScreening(db: () => Database, screeningId: string): Promise<string> {
  const id = await known.get(screeningId, () => canonicalId(db(), screeningId));
  if (id === undefined) throw new AppError('NOT_FOUND', 'no such screening');
  return id;
}

async function canonicalId(db: Database, screeningId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: screenings.id }).from(screenings).where(eq(screenings.id, screeningId));
  return row?.id;
}

/** Called when a screening is deleted, so this isolate stops vouching for it (by any spelling) at once. */
export function forgetScreening(screeningId: string): void {
  known.forget(screeningId, (id) => id === screeningId);
}
