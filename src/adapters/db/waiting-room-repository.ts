// A screening's waiting-room settings and the sale times the room follows (the `waiting_room`
// column of screenings, migration 0007).
import { eq } from 'drizzle-orm';
import type { WaitingRoomSettings } from '../../domain/queue/index.ts';
import type { Database } from './client.ts';
import { screenings } from './schema.ts';

export interface RoomScreening {
  id: string;
  salesOpenAt: Date;
  startTime: Date;
  waitingRoom: WaitingRoomSettings | null;
}

export async function findRoomScreening(db: Database, id: string): Promise<RoomScreening | undefined> {
  const [row] = await db
    .select({
      id: screenings.id,
      salesOpenAt: screenings.salesOpenAt,
      startTime: screenings.startTime,
      waitingRoom: screenings.waitingRoom,
    })
    .from(screenings)
    .where(eq(screenings.id, id));
  return row ? { ...row, waitingRoom: row.waitingRoom ?? null } : undefined;
}

/** Sets (or with null removes) the room; false when there is no such screening. */
export async function updateWaitingRoom(
  db: Database,
  id: string,
  waitingRoom: WaitingRoomSettings | null,
): Promise<boolean> {
  const rows = await db
    .update(screenings)
    .set({ waitingRoom })
    .where(eq(screenings.id, id))
    .returning({ id: screenings.id });
  return rows.length > 0;
}
