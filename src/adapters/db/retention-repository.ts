// What the scheduled clean-up removes: finished screenings' coordinator state, and records kept
// only for a while (Idempotency-Key answers at least 24 h, the member-hold index a day).
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { idempotencyRecords, memberHolds, screenings } from './schema.ts';

export const IDEMPOTENCY_RETENTION_HOURS = 48;
const FINISHED_FOR_HOURS = 24;

export async function finishedScreeningsToPurge(db: Database, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: screenings.id })
    .from(screenings)
    .where(
      and(
        isNull(screenings.actorPurgedAt),
        lt(screenings.endTime, sql`now() - make_interval(hours => ${FINISHED_FOR_HOURS})`),
      ),
    )
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function markPurged(db: Database, screeningId: string): Promise<void> {
  await db.update(screenings).set({ actorPurgedAt: new Date() }).where(eq(screenings.id, screeningId));
}

export async function deleteExpiredRecords(
  db: Database,
): Promise<{ idempotency: number; memberHolds: number }> {
  const idempotency = await db
    .delete(idempotencyRecords)
    .where(
      lt(idempotencyRecords.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`),
    )
    .returning({ key: idempotencyRecords.key });
  const holds = await db
    .delete(memberHolds)
    .where(lt(memberHolds.heldAt, sql`now() - interval '1 day'`))
    .returning({ memberId: memberHolds.memberId });
  return { idempotency: idempotency.length, memberHolds: holds.length };
}
