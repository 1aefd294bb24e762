// Admin seat states: Postgres first (the system of record), then the coordinator; when the
// coordinator refuses (a seat is held or sold), the Postgres write is undone and nothing changed.
import type { Database } from '../adapters/db/client.ts';
import {
  findSeat,
  putSeatStates,
  removeSeatStates,
  seatsOutsideScreening,
  setSeatDisabled,
  upcomingScreeningsOfScreen,
} from '../adapters/db/seat-state-repository.ts';
import { AppError } from '../domain/errors.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import { unwrap } from './seat-results.ts';

async function requireSeatsOf(db: Database, screeningId: string, seatIds: string[]) {
  const outside = await seatsOutsideScreening(db, screeningId, seatIds);
  if (outside.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'some seats are not seats of this screening', {
      errors: outside.map((id) => ({ path: 'seatIds', message: `${id} is not a seat of this screening` })),
    });
  }
}

export async function blockSeats(
  db: Database,
  seats: SeatCoordinator,
  screeningId: string,
  seatIds: string[],
  reason: string,
) {
  await requireSeatsOf(db, screeningId, seatIds);
  const written = await putSeatStates(db, screeningId, seatIds, 'BLOCKED', reason);
  const result = await seats.block(screeningId, seatIds).catch(async (error: unknown) => {
    await removeSeatStates(db, screeningId, written, 'BLOCKED');
    throw error;
  });
  if (!result.ok) await removeSeatStates(db, screeningId, written, 'BLOCKED');
  unwrap(result);
  return { seatIds, status: 'BLOCKED' as const };
}

export async function unblockSeats(
  db: Database,
  seats: SeatCoordinator,
  screeningId: string,
  seatIds: string[],
) {
  await requireSeatsOf(db, screeningId, seatIds);
  await removeSeatStates(db, screeningId, seatIds, 'BLOCKED');
  unwrap(await seats.unblock(screeningId, seatIds));
  return { seatIds, status: 'AVAILABLE' as const };
}

/** Disables a seat in every screening that has not started; refused as a whole if any has it held or sold. */
export async function disableSeat(db: Database, seats: SeatCoordinator, seatId: string, reason: string) {
  const seat = await findSeat(db, seatId);
  if (!seat) throw new AppError('NOT_FOUND', 'no such seat');
  const screeningIds = await upcomingScreeningsOfScreen(db, seat.screenId, new Date());
  await setSeatDisabled(db, seatId, true, reason);
  const written = new Map<string, string[]>();
  for (const screeningId of screeningIds) {
    written.set(screeningId, await putSeatStates(db, screeningId, [seatId], 'DISABLED', reason));
  }
  const results = await Promise.all(
    screeningIds.map(async (screeningId) => ({
      screeningId,
      result: await seats.disable(screeningId, [seatId]),
    })),
  );
  const refused = results.filter(({ result }) => !result.ok).map(({ screeningId }) => screeningId);
  if (refused.length > 0) {
    // Undo: the screenings that took it give it back, and Postgres forgets it.
    const taken = results.filter(({ result }) => result.ok).map(({ screeningId }) => screeningId);
    await Promise.all(taken.map((screeningId) => seats.enable(screeningId, [seatId])));
    for (const [screeningId, seatIds] of written)
      await removeSeatStates(db, screeningId, seatIds, 'DISABLED');
    await setSeatDisabled(db, seatId, seat.disabled, seat.disabledReason);
    throw new AppError('SEAT_NOT_AVAILABLE', 'the seat is held, sold or blocked in upcoming screenings', {
      screeningIds: refused,
    });
  }
  return { seatIds: [seatId], status: 'DISABLED' as const };
}

export async function enableSeat(db: Database, seats: SeatCoordinator, seatId: string) {
  const seat = await findSeat(db, seatId);
  if (!seat) throw new AppError('NOT_FOUND', 'no such seat');
  const screeningIds = await upcomingScreeningsOfScreen(db, seat.screenId, new Date());
  await setSeatDisabled(db, seatId, false, null);
  for (const screeningId of screeningIds) await removeSeatStates(db, screeningId, [seatId], 'DISABLED');
  // A screening where the seat is not DISABLED (say, BLOCKED) has nothing to enable: its answer is moot.
  await Promise.all(screeningIds.map((id) => seats.enable(id, [seatId])));
  return { seatIds: [seatId], status: 'AVAILABLE' as const };
}
