// The admin's catalog writes: movies, theaters, screens with their seats, screenings. What the
// schema cannot say (prices for the screen's seat types, the sales window) is checked here, before
// the database; overlaps and races are left to the constraints, which the error mapper turns into
// the contract's codes.
import type { Database } from '../adapters/db/client.ts';
import {
  deleteMovie,
  findMovie,
  insertMovie,
  type MovieInput,
  movieHasScreenings,
  updateMovie,
} from '../adapters/db/movie-repository.ts';
import { pgErrorOf } from '../adapters/db/pg-errors.ts';
import {
  deleteScreening,
  findAdminScreening,
  insertScreening,
  type Prices,
  type SingleSeatGaps,
  screeningHasReservations,
  updateScreening,
} from '../adapters/db/screening-repository.ts';
import {
  findTheater,
  insertScreenWithSeats,
  insertTheater,
  type RowLayout,
  screenForScheduling,
  seatsOfScreen,
} from '../adapters/db/theater-repository.ts';
import { AppError } from '../domain/errors.ts';
import type { WaitingRoomSettings } from '../domain/queue/index.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import { forgetScreening } from './screening-lookup.ts';
import { unwrap } from './seat-results.ts';

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

/** Turns one named unique constraint into a 409 that says what clashed; anything else goes on. */
async function conflictOn<T>(constraint: string, detail: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorOf(error)?.constraint === constraint) throw new AppError('CONFLICT', detail);
    throw error;
  }
}

export const createMovie = (db: Database, input: MovieInput) => insertMovie(db, input);

export async function getAdminMovie(db: Database, id: string) {
  const movie = await findMovie(db, id);
  if (!movie) throw new AppError('NOT_FOUND', 'no such movie');
  return movie;
}

export async function changeMovie(db: Database, id: string, changes: Partial<MovieInput>) {
  const movie = await updateMovie(db, id, changes);
  if (!movie) throw new AppError('NOT_FOUND', 'no such movie');
  return movie;
}

export async function removeMovie(db: Database, id: string): Promise<void> {
  // The foreign key refuses too (23503 → RESOURCE_IN_USE) if a screening is added meanwhile.
  if (await movieHasScreenings(db, id))
    throw new AppError('RESOURCE_IN_USE', 'the movie has screenings; delete them first');
  if (!(await deleteMovie(db, id))) throw new AppError('NOT_FOUND', 'no such movie');
}

export async function createTheater(db: Database, name: string) {
  const theater = await conflictOn('theaters_name_unique', 'a theater with that name exists', () =>
    insertTheater(db, name),
  );
  return { id: theater.id, name: theater.name, screens: [] };
}

export async function addScreen(db: Database, theaterId: string, name: string, rows: RowLayout[]) {
  if (!(await findTheater(db, theaterId))) throw new AppError('NOT_FOUND', 'no such theater');
  const screen = await conflictOn(
    'screens_theater_name_unique',
    'the theater already has a screen with that name',
    () => insertScreenWithSeats(db, theaterId, name, rows),
  );
  return {
    id: screen.id,
    theaterId,
    name: screen.name,
    seatCount: screen.seatCount,
    seats: await seatsOfScreen(db, screen.id),
  };
}

export interface ScreeningInput {
  movieId: string;
  screenId: string;
  startTime: Date;
  salesOpenAt?: Date;
  prices: Prices;
  waitingRoom?: WaitingRoomSettings | null;
  singleSeatGaps?: SingleSeatGaps;
}

export async function createScreening(db: Database, input: ScreeningInput, now = new Date()) {
  const [movie, screen] = await Promise.all([
    findMovie(db, input.movieId),
    screenForScheduling(db, input.screenId),
  ]);
  if (!movie) throw new AppError('NOT_FOUND', 'no such movie');
  if (!screen) throw new AppError('NOT_FOUND', 'no such screen');
  checkPrices(screen.seatTypes, input.prices);
  const salesOpenAt = input.salesOpenAt ?? now;
  if (salesOpenAt > input.startTime) {
    throw invalid(
      'salesOpenAt',
      input.salesOpenAt
        ? 'salesOpenAt must not be after startTime'
        : 'startTime is in the past, so sales cannot open now (the default salesOpenAt)',
    );
  }
  return insertScreening(db, {
    movieId: movie.id,
    screenId: screen.id,
    theaterId: screen.theaterId,
    startTime: input.startTime,
    endTime: new Date(input.startTime.getTime() + movie.runtimeMinutes * 60_000),
    salesOpenAt,
    prices: input.prices,
    ...(input.singleSeatGaps ? { singleSeatGaps: input.singleSeatGaps } : {}),
    availableSeats: screen.availableSeats,
    waitingRoom: input.waitingRoom ?? null,
  });
}

function checkPrices(seatTypes: readonly string[], prices: Prices): void {
  const unpriced = seatTypes.filter((type) => prices[type] === undefined);
  if (unpriced.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'prices must cover every seat type of the screen', {
      errors: unpriced.map((type) => ({ path: `prices.${type}`, message: `the screen has ${type} seats` })),
    });
  }
}

export interface ScreeningChangeInput {
  salesOpenAt?: Date;
  prices?: Prices;
  singleSeatGaps?: SingleSeatGaps;
}

/**
 * PATCH: Postgres first (the system of record), then the screening's coordinator, which decides
 * holds by these fields. If the coordinator cannot be told (503), the change stands in Postgres and
 * sending the same PATCH again finishes it.
 */
export async function changeScreening(
  db: Database,
  seats: SeatCoordinator,
  id: string,
  change: ScreeningChangeInput,
) {
  const screening = await findAdminScreening(db, id);
  if (!screening) throw new AppError('NOT_FOUND', 'no such screening');
  if (change.prices) {
    const screen = await screenForScheduling(db, screening.screenId);
    checkPrices(screen?.seatTypes ?? [], change.prices);
  }
  if (change.salesOpenAt && change.salesOpenAt > new Date(screening.startTime)) {
    throw invalid('salesOpenAt', 'salesOpenAt must not be after startTime');
  }
  const updated = await updateScreening(db, id, change);
  if (!updated) throw new AppError('NOT_FOUND', 'no such screening');
  unwrap(
    await seats.configure(id, {
      ...(change.salesOpenAt ? { salesOpenAt: change.salesOpenAt.getTime() } : {}),
      ...(change.singleSeatGaps ? { singleSeatGaps: change.singleSeatGaps } : {}),
      ...(change.prices ? { prices: change.prices } : {}),
    }),
  );
  return updated;
}

export async function getAdminScreening(db: Database, id: string) {
  const screening = await findAdminScreening(db, id);
  if (!screening) throw new AppError('NOT_FOUND', 'no such screening');
  return screening;
}

export async function removeScreening(db: Database, id: string): Promise<void> {
  // A payment or reservation written meanwhile is still caught by its foreign key (RESOURCE_IN_USE).
  if (await screeningHasReservations(db, id))
    throw new AppError('RESOURCE_IN_USE', 'the screening has reservations');
  if (!(await deleteScreening(db, id))) throw new AppError('NOT_FOUND', 'no such screening');
  forgetScreening(id);
}
