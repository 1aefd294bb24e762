// The admin catalog (API.md, Admin): movies, theaters and their screens, screenings. Every route
// is behind requireAdmin. Creates answer 201 with the object, updates 200, deletes 204.
import { createRoute, type z } from '@hono/zod-openapi';
import { listMoviesNewestFirst } from '../../adapters/db/movie-repository.ts';
import { listScreeningsNewestFirst } from '../../adapters/db/screening-repository.ts';
import { listTheatersNewestFirst } from '../../adapters/db/theater-repository.ts';
import {
  addScreen,
  changeMovie,
  createMovie,
  createScreening,
  createTheater,
  getAdminMovie,
  getAdminScreening,
  removeMovie,
  removeScreening,
} from '../../services/admin-catalog-service.ts';
import { bearer, requireAdmin } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import {
  AdminMovieQuery,
  AdminScreening,
  AdminScreeningList,
  AdminScreeningQuery,
  IdParams,
  MovieCreate,
  MoviePatch,
  ScreenCreate,
  ScreenCreated,
  ScreeningCreate,
  TheaterCreate,
} from '../schemas/admin.ts';
import { MovieList, MovieSchema, TheaterList, TheaterSchema } from '../schemas/catalog.ts';
import { json, problem } from '../schemas/common.ts';
import { PageQuery } from '../schemas/pagination.ts';

const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const guarded = {
  400: problem('VALIDATION_FAILED'),
  401: problem('UNAUTHORIZED'),
  403: problem('FORBIDDEN'),
};
const deleted = { description: 'Deleted' };

const createMovieRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/movies',
  summary: 'Add a movie',
  request: { body: body(MovieCreate) },
  responses: { 201: json(MovieSchema, 'Created'), ...guarded },
});
const listMoviesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/movies',
  summary: 'Movies, newest first',
  request: { query: AdminMovieQuery },
  responses: { 200: json(MovieList, 'A page of movies'), ...guarded },
});
const getMovieRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/movies/{id}',
  summary: 'One movie',
  request: { params: IdParams },
  responses: { 200: json(MovieSchema, 'The movie'), ...guarded, 404: problem('NOT_FOUND') },
});
const patchMovieRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/api/admin/movies/{id}',
  summary: "Change some of a movie's fields (existing screenings keep their end times)",
  request: { params: IdParams, body: body(MoviePatch) },
  responses: { 200: json(MovieSchema, 'Updated'), ...guarded, 404: problem('NOT_FOUND') },
});
const deleteMovieRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/admin/movies/{id}',
  summary: 'Delete a movie that has no screenings',
  request: { params: IdParams },
  responses: {
    204: deleted,
    ...guarded,
    404: problem('NOT_FOUND'),
    409: problem('RESOURCE_IN_USE: the movie has screenings'),
  },
});

const createTheaterRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/theaters',
  summary: 'Add a theater (names are unique)',
  request: { body: body(TheaterCreate) },
  responses: { 201: json(TheaterSchema, 'Created'), ...guarded, 409: problem('CONFLICT: the name is taken') },
});
const listTheatersRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/theaters',
  summary: 'Theaters, newest first, each with its screens',
  request: { query: PageQuery },
  responses: { 200: json(TheaterList, 'A page of theaters'), ...guarded },
});
const createScreenRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/theaters/{id}/screens',
  summary: 'Add a screen and its seats, row by row (seats are numbered from 1)',
  request: { params: IdParams, body: body(ScreenCreate) },
  responses: {
    201: json(ScreenCreated, 'Created, with its seats'),
    ...guarded,
    404: problem('NOT_FOUND'),
    409: problem('CONFLICT: the theater has a screen of that name'),
  },
});

const createScreeningRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings',
  summary: "Schedule a screening; it ends after the movie's runtime",
  request: { body: body(ScreeningCreate) },
  responses: {
    201: json(AdminScreening, 'Created'),
    ...guarded,
    404: problem('NOT_FOUND: no such movie or screen'),
    409: problem('SCREENING_OVERLAP'),
  },
});
const listScreeningsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/screenings',
  summary: 'Screenings, newest first',
  request: { query: AdminScreeningQuery },
  responses: { 200: json(AdminScreeningList, 'A page of screenings'), ...guarded },
});
const getScreeningRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/screenings/{id}',
  summary: 'One screening',
  request: { params: IdParams },
  responses: { 200: json(AdminScreening, 'The screening'), ...guarded, 404: problem('NOT_FOUND') },
});
const deleteScreeningRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/admin/screenings/{id}',
  summary: 'Delete a screening that has no reservations',
  request: { params: IdParams },
  responses: {
    204: deleted,
    ...guarded,
    404: problem('NOT_FOUND'),
    409: problem('RESOURCE_IN_USE: the screening has reservations or payments'),
  },
});

export const adminRoutes = createRouter()
  .openapi(createMovieRoute, async (c) => c.json(await createMovie(c.get('db')(), c.req.valid('json')), 201))
  .openapi(listMoviesRoute, async (c) => {
    const { status, ...page } = c.req.valid('query');
    return c.json(await listMoviesNewestFirst(c.get('db')(), { status }, page), 200);
  })
  .openapi(getMovieRoute, async (c) =>
    c.json(await getAdminMovie(c.get('db')(), c.req.valid('param').id), 200),
  )
  .openapi(patchMovieRoute, async (c) =>
    c.json(await changeMovie(c.get('db')(), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(deleteMovieRoute, async (c) => {
    await removeMovie(c.get('db')(), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(createTheaterRoute, async (c) =>
    c.json(await createTheater(c.get('db')(), c.req.valid('json').name), 201),
  )
  .openapi(listTheatersRoute, async (c) =>
    c.json(await listTheatersNewestFirst(c.get('db')(), c.req.valid('query')), 200),
  )
  .openapi(createScreenRoute, async (c) => {
    const { name, rows } = c.req.valid('json');
    return c.json(await addScreen(c.get('db')(), c.req.valid('param').id, name, rows), 201);
  })
  .openapi(createScreeningRoute, async (c) => {
    const { startTime, salesOpenAt, prices, ...ids } = c.req.valid('json');
    const input = {
      ...ids,
      startTime: new Date(startTime),
      salesOpenAt: salesOpenAt === undefined ? undefined : new Date(salesOpenAt),
      prices: prices as Record<string, number>,
    };
    return c.json(await createScreening(c.get('db')(), input), 201);
  })
  .openapi(listScreeningsRoute, async (c) => {
    const { movieId, screenId, ...page } = c.req.valid('query');
    return c.json(await listScreeningsNewestFirst(c.get('db')(), { movieId, screenId }, page), 200);
  })
  .openapi(getScreeningRoute, async (c) =>
    c.json(await getAdminScreening(c.get('db')(), c.req.valid('param').id), 200),
  )
  .openapi(deleteScreeningRoute, async (c) => {
    await removeScreening(c.get('db')(), c.req.valid('param').id);
    return c.body(null, 204);
  });
