// The admin catalog (API.md, Admin): movies, theaters and their screens, screenings. Every route
// is behind requireAdmin. Creates answer 201 with the object, updates 200, deletes 204.
import { createRoute } from '@hono/zod-openapi';
import { listMoviesNewestFirst } from '../../adapters/db/movie-repository.ts';
import { listScreeningsNewestFirst } from '../../adapters/db/screening-repository.ts';
import { listTheatersNewestFirst } from '../../adapters/db/theater-repository.ts';
import {
  addScreen,
  changeMovie,
  changeScreening,
  createMovie,
  createScreening,
  createTheater,
  getAdminMovie,
  getAdminScreening,
  removeMovie,
  removeScreening,
} from '../../services/admin-catalog-service.ts';
import { setWaitingRoom } from '../../services/waiting-room-service.ts';
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
  ScreeningPatch,
  TheaterCreate,
} from '../schemas/admin.ts';
import {
  inTimeZone,
  MovieList,
  MovieSchema,
  pageInTimeZone,
  TheaterList,
  TheaterSchema,
} from '../schemas/catalog.ts';
import { body, json, problem } from '../schemas/common.ts';
import { PageQuery } from '../schemas/pagination.ts';

const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const guarded = {
  400: problem('VALIDATION_FAILED', 'Bad input: `errors` says which field (unknown fields are refused too)'),
  401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  403: problem('FORBIDDEN', 'The caller is not an admin'),
};
const deleted = { description: 'Deleted' };

const createMovieRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/movies',
  operationId: 'createMovie',
  summary: 'Add a movie',
  description:
    'Answers the movie with its id. `runtimeMinutes` sets the end time of the screenings scheduled later. `posterUrl` (optional) is an https address of the poster image; anything else is a 400.',
  request: { body: body(MovieCreate) },
  responses: { 201: json(MovieSchema, 'Created'), ...guarded },
});
const listMoviesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/movies',
  operationId: 'adminListMovies',
  summary: 'Movies, newest first',
  description: 'Every movie, the most recently added first, optionally only one `status`.',
  request: { query: AdminMovieQuery },
  responses: { 200: json(MovieList, 'A page of movies'), ...guarded },
});
const getMovieRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/movies/{id}',
  operationId: 'adminGetMovie',
  summary: 'One movie',
  description: 'A movie by id.',
  request: { params: IdParams },
  responses: { 200: json(MovieSchema, 'The movie'), ...guarded, 404: problem('NOT_FOUND', 'No such movie') },
});
const patchMovieRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/api/admin/movies/{id}',
  operationId: 'updateMovie',
  summary: "Change some of a movie's fields (existing screenings keep their end times)",
  description:
    'Any of title, runtimeMinutes, rating, status and posterUrl (an https address, or null to remove the poster); at least one. Answers the movie as it now is.',
  request: { params: IdParams, body: body(MoviePatch) },
  responses: { 200: json(MovieSchema, 'Updated'), ...guarded, 404: problem('NOT_FOUND', 'No such movie') },
});
const deleteMovieRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/admin/movies/{id}',
  operationId: 'deleteMovie',
  summary: 'Delete a movie that has no screenings',
  description: 'A movie with screenings cannot go: delete its screenings first.',
  request: { params: IdParams },
  responses: {
    204: deleted,
    ...guarded,
    404: problem('NOT_FOUND', 'No such movie'),
    409: problem('RESOURCE_IN_USE', 'The movie has screenings'),
  },
});

const createTheaterRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/theaters',
  operationId: 'createTheater',
  summary: 'Add a theater (names are unique)',
  description:
    'Answers the theater with its id and no screens yet; add screens with `POST /api/admin/theaters/{id}/screens`.',
  request: { body: body(TheaterCreate) },
  responses: {
    201: json(TheaterSchema, 'Created'),
    ...guarded,
    409: problem('CONFLICT', 'A theater of that name exists'),
  },
});
const listTheatersRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/theaters',
  operationId: 'adminListTheaters',
  summary: 'Theaters, newest first, each with its screens',
  description: 'Every theater, the most recently added first, with its screens and their seat counts.',
  request: { query: PageQuery },
  responses: { 200: json(TheaterList, 'A page of theaters'), ...guarded },
});
const createScreenRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/theaters/{id}/screens',
  operationId: 'createScreen',
  summary: 'Add a screen and its seats, row by row (seats are numbered from 1)',
  description:
    'Rows are given front to back, each with a distinct label (1 to 3 of A-Z, 0-9), a seat count (1 to 60) and a seat type; 1 to 40 rows. Answers the screen with every seat and its id.',
  request: { params: IdParams, body: body(ScreenCreate) },
  responses: {
    201: json(ScreenCreated, 'Created, with its seats'),
    ...guarded,
    404: problem('NOT_FOUND', 'No such theater'),
    409: problem('CONFLICT', 'The theater has a screen of that name'),
  },
});

const createScreeningRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings',
  operationId: 'createScreening',
  summary: "Schedule a screening; it ends after the movie's runtime",
  description:
    "`endTime` is `startTime` plus the movie's runtime. Two screenings on one screen may not overlap. `salesOpenAt` defaults to now and may not be after the start. `prices` needs a price (integer KRW) for every seat type the screen has. `singleSeatGaps` (ALLOW, the default, or PREVENT) says whether holds may leave one seat alone in its row.",
  request: { body: body(ScreeningCreate) },
  responses: {
    201: json(AdminScreening, 'Created'),
    ...guarded,
    404: problem('NOT_FOUND', 'No such movie or screen'),
    409: problem('SCREENING_OVERLAP', 'Another screening on this screen overlaps that time'),
  },
});
const listScreeningsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/screenings',
  operationId: 'adminListScreenings',
  summary: 'Screenings, newest first',
  description:
    'Every screening, the most recently scheduled first, optionally of one movie or one screen, with its prices.',
  request: { query: AdminScreeningQuery },
  responses: { 200: json(AdminScreeningList, 'A page of screenings'), ...guarded },
});
const getScreeningRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/screenings/{id}',
  operationId: 'adminGetScreening',
  summary: 'One screening',
  description: 'A screening by id, with its prices and when it was created.',
  request: { params: IdParams },
  responses: {
    200: json(AdminScreening, 'The screening'),
    ...guarded,
    404: problem('NOT_FOUND', 'No such screening'),
  },
});
const patchScreeningRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/api/admin/screenings/{id}',
  operationId: 'patchScreening',
  summary: "Change a screening's sales opening, prices, gap rule or waiting room",
  description:
    "Any of `salesOpenAt` (not after the start), `prices` (a price for every seat type of the screen), `singleSeatGaps` and `waitingRoom` (`{admitPerMinute, opensBeforeMinutes}` to add a room or change its rate live, the room following within seconds; null to remove it); unknown fields are refused. The screening's seat coordinator takes the change at once: holds are decided by the new sales window and gap rule, and the seat map shows the new prices. Live seat maps get a batch with no changes (the version moves on). Seats already held or sold keep their state and price.",
  request: { params: IdParams, body: body(ScreeningPatch) },
  responses: {
    200: json(AdminScreening, 'The screening as it is now'),
    ...guarded,
    404: problem('NOT_FOUND', 'No such screening'),
  },
});

const deleteScreeningRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/admin/screenings/{id}',
  operationId: 'deleteScreening',
  summary: 'Delete a screening that has no reservations',
  description: 'A screening with reservations or payments, even cancelled ones, cannot go.',
  request: { params: IdParams },
  responses: {
    204: deleted,
    ...guarded,
    404: problem('NOT_FOUND', 'No such screening'),
    409: problem('RESOURCE_IN_USE', 'The screening has reservations or payments'),
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
    c.json(
      inTimeZone(c.get('settings').TIMEZONE)(await createTheater(c.get('db')(), c.req.valid('json').name)),
      201,
    ),
  )
  .openapi(listTheatersRoute, async (c) =>
    c.json(
      pageInTimeZone(
        await listTheatersNewestFirst(c.get('db')(), c.req.valid('query')),
        c.get('settings').TIMEZONE,
      ),
      200,
    ),
  )
  .openapi(createScreenRoute, async (c) => {
    const { name, rows } = c.req.valid('json');
    return c.json(await addScreen(c.get('db')(), c.req.valid('param').id, name, rows), 201);
  })
  .openapi(createScreeningRoute, async (c) => {
    const { startTime, salesOpenAt, prices, ...rest } = c.req.valid('json');
    const input = {
      ...rest,
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
  .openapi(patchScreeningRoute, async (c) => {
    const id = c.req.valid('param').id;
    const { salesOpenAt, waitingRoom, ...rest } = c.req.valid('json');
    const change = {
      ...rest,
      ...(salesOpenAt === undefined ? {} : { salesOpenAt: new Date(salesOpenAt) }),
    };
    const db = c.get('db')();
    // The seat coordinator's part first: it checks the change, so a refused one leaves the room too.
    const changed =
      Object.keys(change).length > 0
        ? await changeScreening(db, c.get('runtime').seats, id, change)
        : undefined;
    if (waitingRoom !== undefined) await setWaitingRoom(db, id, waitingRoom);
    return c.json(changed && waitingRoom === undefined ? changed : await getAdminScreening(db, id), 200);
  })
  .openapi(deleteScreeningRoute, async (c) => {
    await removeScreening(c.get('db')(), c.req.valid('param').id);
    return c.body(null, 204);
  });
