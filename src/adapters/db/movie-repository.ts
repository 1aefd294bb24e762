// Movies of the catalog: the public list (by title), the admin list (newest first) and the admin
// writes. A movie with screenings cannot be deleted; the foreign key says so even if a check races.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Database } from './client.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
import { type MOVIE_STATUSES, movies, type RATINGS, screenings } from './schema.ts';

export type MovieStatus = (typeof MOVIE_STATUSES)[number];
export type Rating = (typeof RATINGS)[number];

export interface Movie {
  id: string;
  title: string;
  runtimeMinutes: number;
  rating: Rating;
  status: MovieStatus;
  /** An https address, or null when the movie has no poster. */
  posterUrl: string | null;
}

export type MovieInput = Omit<Movie, 'id' | 'posterUrl'> & { posterUrl?: string | null };

const movieColumns = {
  id: movies.id,
  title: movies.title,
  runtimeMinutes: movies.runtimeMinutes,
  rating: movies.rating,
  status: movies.status,
  posterUrl: movies.posterUrl,
};

const view = ({ id, title, runtimeMinutes, rating, status, posterUrl }: Movie): Movie => ({
  id,
  title,
  runtimeMinutes,
  rating,
  status,
  posterUrl,
});

/** The public catalog: by title, then id. */
export async function listMoviesByTitle(
  db: Database,
  filter: { status?: MovieStatus },
  page: PageRequest,
): Promise<Page<Movie>> {
  const rows = await db
    .select(movieColumns)
    .from(movies)
    .where(
      and(
        filter.status ? eq(movies.status, filter.status) : undefined,
        afterCursor(movies.title, movies.id, page.cursor, 'text', 'asc'),
      ),
    )
    .orderBy(asc(movies.title), asc(movies.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => ({ key: row.title, id: row.id }), view);
}

/** The admin list: newest first. */
export async function listMoviesNewestFirst(
  db: Database,
  filter: { status?: MovieStatus },
  page: PageRequest,
): Promise<Page<Movie>> {
  const rows = await db
    .select({ ...movieColumns, createdKey: timestampKey(movies.createdAt) })
    .from(movies)
    .where(
      and(
        filter.status ? eq(movies.status, filter.status) : undefined,
        afterCursor(movies.createdAt, movies.id, page.cursor, 'timestamptz', 'desc'),
      ),
    )
    .orderBy(desc(movies.createdAt), desc(movies.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => ({ key: row.createdKey, id: row.id }), view);
}

export async function findMovie(db: Database, id: string): Promise<Movie | undefined> {
  const [movie] = await db.select(movieColumns).from(movies).where(eq(movies.id, id));
  return movie;
}

export async function insertMovie(db: Database, input: MovieInput): Promise<Movie> {
  const [movie] = await db.insert(movies).values(input).returning(movieColumns);
  if (!movie) throw new Error('insert returned no row');
  return movie;
}

/** Undefined when there is no such movie. */
export async function updateMovie(
  db: Database,
  id: string,
  changes: Partial<MovieInput>,
): Promise<Movie | undefined> {
  const [movie] = await db.update(movies).set(changes).where(eq(movies.id, id)).returning(movieColumns);
  return movie;
}

/** False when there was no such movie. */
export async function deleteMovie(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(movies).where(eq(movies.id, id)).returning({ id: movies.id });
  return deleted.length === 1;
}

export async function movieHasScreenings(db: Database, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: screenings.id })
    .from(screenings)
    .where(eq(screenings.movieId, id))
    .limit(1);
  return Boolean(row);
}
