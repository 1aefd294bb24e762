// The public catalog (API.md, Catalog): movies, theaters, screenings. No token needed.
import { createRoute } from '@hono/zod-openapi';
import { listMoviesByTitle } from '../../adapters/db/movie-repository.ts';
import { listTheatersByName } from '../../adapters/db/theater-repository.ts';
import { getMovie, getScreening, listScreenings } from '../../services/catalog-service.ts';
import { createRouter } from '../openapi.ts';
import {
  LookupParams,
  MovieList,
  MovieQuery,
  MovieSchema,
  pageInTimeZone,
  ScreeningDetail,
  ScreeningList,
  ScreeningQuery,
  TheaterList,
  TheaterQuery,
} from '../schemas/catalog.ts';
import { json, problem } from '../schemas/common.ts';

const common = { tags: ['Catalog'], 'x-auth': 'public' };

const moviesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/movies',
  operationId: 'listMovies',
  summary: 'Movies by title',
  description:
    'Every movie, sorted by title, optionally only one `status` (UPCOMING, SHOWING, ENDED). A page of `limit` (1 to 100, default 20); pass `nextCursor` back as `cursor` for the next one.',
  request: { query: MovieQuery },
  responses: {
    200: json(MovieList, 'A page of movies'),
    400: problem('VALIDATION_FAILED', 'A bad status, limit or cursor'),
  },
});

const movieRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/movies/{id}',
  operationId: 'getMovie',
  summary: 'One movie',
  description: 'A movie by id. Any id it does not know, well-formed or not, is 404.',
  request: { params: LookupParams },
  responses: { 200: json(MovieSchema, 'The movie'), 404: problem('NOT_FOUND', 'No such movie') },
});

const theatersRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/theaters',
  operationId: 'listTheaters',
  summary: 'Theaters by name, each with its screens',
  description:
    "Every theater, sorted by name, with its screens and their seat counts, and the time zone its dates and times are in (`timeZone`, the TIMEZONE setting: a page shows screening days and times in it, whatever the browser's zone). Paged like every list.",
  request: { query: TheaterQuery },
  responses: {
    200: json(TheaterList, 'A page of theaters'),
    400: problem('VALIDATION_FAILED', 'A bad limit or cursor'),
  },
});

const screeningsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/screenings',
  operationId: 'listScreenings',
  summary: 'Screenings by start time; `date` is a calendar day in TIMEZONE',
  description:
    'Screenings sorted by start time, optionally of one movie, one theater and one day (`date`, YYYY-MM-DD, a day in the TIMEZONE setting, default Asia/Seoul). `availableSeats` is kept up to date behind each change of the seat map.',
  request: { query: ScreeningQuery },
  responses: {
    200: json(ScreeningList, 'A page of screenings'),
    400: problem('VALIDATION_FAILED', 'A malformed movieId, theaterId, date, limit or cursor'),
  },
});

const screeningRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/screenings/{id}',
  operationId: 'getScreening',
  summary: 'One screening with its movie, screen, theater and prices',
  description:
    'A screening with its movie, screen, theater, times, price per seat type (integer KRW) and available seats. Any id it does not know, well-formed or not, is 404.',
  request: { params: LookupParams },
  responses: {
    200: json(ScreeningDetail, 'The screening'),
    404: problem('NOT_FOUND', 'No such screening'),
  },
});

export const catalogRoutes = createRouter()
  .openapi(moviesRoute, async (c) => {
    const { status, ...page } = c.req.valid('query');
    return c.json(await listMoviesByTitle(c.get('db')(), { status }, page), 200);
  })
  .openapi(movieRoute, async (c) => c.json(await getMovie(c.get('db')(), c.req.valid('param').id), 200))
  .openapi(theatersRoute, async (c) =>
    c.json(
      pageInTimeZone(
        await listTheatersByName(c.get('db')(), c.req.valid('query')),
        c.get('settings').TIMEZONE,
      ),
      200,
    ),
  )
  .openapi(screeningsRoute, async (c) => {
    const { movieId, theaterId, date, ...page } = c.req.valid('query');
    const timeZone = c.get('settings').TIMEZONE;
    return c.json(await listScreenings(c.get('db')(), timeZone, { movieId, theaterId, date }, page), 200);
  })
  .openapi(screeningRoute, async (c) =>
    c.json(await getScreening(c.get('db')(), c.req.valid('param').id), 200),
  );
