// The public catalog's reads. An id that is not even a UUID names nothing: 404 without a query.
import type { Database } from '../adapters/db/client.ts';
import { findMovie } from '../adapters/db/movie-repository.ts';
import type { PageRequest } from '../adapters/db/pagination.ts';
import { findScreeningDetail, listScreeningsByStart } from '../adapters/db/screening-repository.ts';
import { AppError } from '../domain/errors.ts';
import { dayRange } from '../domain/time.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getMovie(db: Database, id: string) {
  const movie = UUID.test(id) ? await findMovie(db, id) : undefined;
  if (!movie) throw new AppError('NOT_FOUND', 'no such movie');
  return movie;
}

export async function getScreening(db: Database, id: string) {
  const screening = UUID.test(id) ? await findScreeningDetail(db, id) : undefined;
  if (!screening) throw new AppError('NOT_FOUND', 'no such screening');
  return screening;
}

export interface ScreeningQuery {
  movieId?: string;
  theaterId?: string;
  /** A calendar day (YYYY-MM-DD) in `timeZone`. */
  date?: string;
}

export function listScreenings(db: Database, timeZone: string, query: ScreeningQuery, page: PageRequest) {
  const day = query.date ? dayRange(query.date, timeZone) : undefined;
  return listScreeningsByStart(
    db,
    { movieId: query.movieId, theaterId: query.theaterId, startsFrom: day?.start, startsBefore: day?.end },
    page,
  );
}
