// Confirms in Postgres that a screening exists before any coordinator is asked about it, so a junk
// id never creates an actor or Redis keys. Positive answers are remembered briefly per isolate.
import { eq } from 'drizzle-orm';
import type { Database } from '../adapters/db/client.ts';
import { screenings } from '../adapters/db/schema.ts';
import { AppError } from '../domain/errors.ts';

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 10_000;
const known = new Map<string, number>();
/** One lookup per screening at a time: a sale opening's first thousand requests share it. */
const inFlight = new Map<string, Promise<boolean>>();

export async function requireScreening(db: () => Database, screeningId: string): Promise<void> {
  const until = known.get(screeningId);
  if (until !== undefined && until > Date.now()) return;
  let lookup = inFlight.get(screeningId);
  if (!lookup) {
    lookup = exists(db(), screeningId).finally(() => inFlight.delete(screeningId));
    inFlight.set(screeningId, lookup);
  }
  if (!(await lookup)) throw new AppError('NOT_FOUND', 'no such screening');
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(screeningId, Date.now() + REMEMBER_MS);
}

async function exists(db: Database, screeningId: string): Promise<boolean> {
  const [row] = await db.select({ id: screenings.id }).from(screenings).where(eq(screenings.id, screeningId));
  return Boolean(row);
}

/** Called when a screening is deleted, so this isolate stops vouching for it at once. */
export function forgetScreening(screeningId: string): void {
  known.delete(screeningId);
}
