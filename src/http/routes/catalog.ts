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
  summary: 'Movies by title',
  request: { query: MovieQuery },
  responses: { 200: json(MovieList, 'A page of movies'), 400: problem('VALIDATION_FAILED') },
});

const movieRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/movies/{id}',
  summary: 'One movie',
  request: { params: LookupParams },
  responses: { 200: json(MovieSchema, 'The movie'), 404: problem('NOT_FOUND') },
});

const theatersRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/theaters',
  summary: 'Theaters by name, each with its screens',
  request: { query: TheaterQuery },
  responses: { 200: json(TheaterList, 'A page of theaters'), 400: problem('VALIDATION_FAILED') },
});

const screeningsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/screenings',
  summary: 'Screenings by start time; `date` is a calendar day in TIMEZONE',
  request: { query: ScreeningQuery },
  responses: { 200: json(ScreeningList, 'A page of screenings'), 400: problem('VALIDATION_FAILED') },
});

const screeningRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/screenings/{id}',
  summary: 'One screening with its movie, screen, theater and prices',
  request: { params: LookupParams },
  responses: { 200: json(ScreeningDetail, 'The screening'), 404: problem('NOT_FOUND') },
});

export const catalogRoutes = createRouter()
  .openapi(moviesRoute, async (c) => {
    const { status, ...page } = c.req.valid('query');
    return c.json(await listMoviesByTitle(c.get('db')(), { status }, page), 200);
  })
  .openapi(movieRoute, async (c) => c.json(await getMovie(c.get('db')(), c.req.valid('param').id), 200))
  .openapi(theatersRoute, async (c) =>
    c.json(await listTheatersByName(c.get('db')(), c.req.valid('query')), 200),
  )
  .openapi(screeningsRoute, async (c) => {
    const { movieId, theaterId, date, ...page } = c.req.valid('query');
    const timeZone = c.get('settings').TIMEZONE;
    return c.json(await listScreenings(c.get('db')(), timeZone, { movieId, theaterId, date }, page), 200);
  })
  .openapi(screeningRoute, async (c) =>
    c.json(await getScreening(c.get('db')(), c.req.valid('param').id), 200),
  );
