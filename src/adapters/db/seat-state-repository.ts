// Durable admin seat states in Postgres (BLOCKED, DISABLED), written before the coordinator is
// told, and undone when the coordinator refuses.
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Database } from './client.ts';
import { screeningSeatStates, screenings, seats } from './schema.ts';

/** Seat ids of `seatIds` that are not seats of the screening's screen. */
export async function seatsOutsideScreening(
  db: Database,
  screeningId: string,
  seatIds: string[],
): Promise<string[]> {
  const rows = await db
    .select({ id: seats.id })
    .from(seats)
    .innerJoin(screenings, eq(screenings.screenId, seats.screenId))
    .where(and(eq(screenings.id, screeningId), inArray(seats.id, seatIds)));
  const found = new Set(rows.map((row) => row.id));
  return seatIds.filter((id) => !found.has(id));
}

/** Inserts BLOCKED/DISABLED rows; returns the seat ids that were newly written (to undo exactly those). */
export async function putSeatStates(
  db: Database,
  screeningId: string,
  seatIds: string[],
  status: 'BLOCKED' | 'DISABLED',
  reason: string,
): Promise<string[]> {
  const written = await db
    .insert(screeningSeatStates)
    .values(seatIds.map((seatId) => ({ screeningId, seatId, status, reason })))
    .onConflictDoNothing()
    .returning({ seatId: screeningSeatStates.seatId });
  return written.map((row) => row.seatId);
}

export async function removeSeatStates(
  db: Database,
  screeningId: string,
  seatIds: string[],
  status: 'BLOCKED' | 'DISABLED',
): Promise<void> {
  if (seatIds.length === 0) return;
  await db
    .delete(screeningSeatStates)
    .where(
      and(
        eq(screeningSeatStates.screeningId, screeningId),
        eq(screeningSeatStates.status, status),
        inArray(screeningSeatStates.seatId, seatIds),
      ),
    );
}

export async function findSeat(db: Database, seatId: string) {
  const [seat] = await db.select().from(seats).where(eq(seats.id, seatId));
  return seat;
}

/** Screenings of the seat's screen that have not started yet. */
export async function upcomingScreeningsOfScreen(
  db: Database,
  screenId: string,
  now: Date,
): Promise<string[]> {
  const rows = await db
    .select({ id: screenings.id })
    .from(screenings)
    .where(and(eq(screenings.screenId, screenId), gt(screenings.startTime, now)));
  return rows.map((row) => row.id);
}

export async function setSeatDisabled(
  db: Database,
  seatId: string,
  disabled: boolean,
  reason: string | null,
) {
  await db.update(seats).set({ disabled, disabledReason: reason }).where(eq(seats.id, seatId));
}
