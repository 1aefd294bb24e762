// The admin sales reports (API.md, Admin: reports): summary, daily sales and top movies over a range
// of days in TIMEZONE (daily sales and top movies also as CSV), and one screening's report. Behind
// requireAdmin.
import { createRoute, z } from '@hono/zod-openapi';
import {
  dailySales,
  reportRange,
  salesSummary,
  screeningReport,
  topMoviesIn,
} from '../../services/report-service.ts';
import { requireScreening } from '../../services/screening-lookup.ts';
import { itemsAnswer } from '../csv.ts';
import { bearer, requireAdmin } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import { IdParams } from '../schemas/admin.ts';
import { json, problem } from '../schemas/common.ts';
import {
  DAILY_SALES_CSV,
  DailySalesList,
  RangeQuery,
  SalesSummary,
  ScreeningReport,
  TOP_MOVIES_CSV,
  TopMovieList,
  TopMoviesQuery,
} from '../schemas/reports.ts';

const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const guarded = {
  400: problem('VALIDATION_FAILED', 'A bad day, `to` before `from`, or more than 366 days'),
  401: problem('UNAUTHORIZED', 'No valid bearer token'),
  403: problem('FORBIDDEN', 'Not an admin'),
};
const RANGE_NOTE =
  'Days are calendar days in TIMEZONE; `from` and `to` are inclusive and default to today. Money is counted when it moves: payments by approval time, refunds by refund time.';
const jsonOrCsv = <T extends z.ZodType>(schema: T, description: string, example: string) => ({
  description,
  content: {
    'application/json': { schema },
    'text/csv': { schema: z.string().openapi({ example }) },
  },
});

const summaryRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/reports/summary',
  operationId: 'getSalesSummary',
  summary: 'Revenue, refunds, reservations, seats sold and occupancy over a range of days',
  description: RANGE_NOTE,
  request: { query: RangeQuery },
  responses: { 200: json(SalesSummary, 'The figures of the range'), ...guarded },
});

const dailyRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/reports/daily-sales',
  operationId: 'getDailySales',
  summary: 'Sales per day, every day of the range (zeros included), oldest first',
  description: `${RANGE_NOTE} With \`Accept: text/csv\` the answer is CSV: a header row, then one line per day.`,
  request: { query: RangeQuery },
  responses: { 200: jsonOrCsv(DailySalesList, 'One item per day', DAILY_SALES_CSV), ...guarded },
});

const topMoviesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/reports/top-movies',
  operationId: 'getTopMovies',
  summary: 'Movies by revenue in the range, highest first',
  description: `${RANGE_NOTE} With \`Accept: text/csv\` the answer is CSV: a header row, then one line per movie.`,
  request: { query: TopMoviesQuery },
  responses: { 200: jsonOrCsv(TopMovieList, 'Up to `limit` movies', TOP_MOVIES_CSV), ...guarded },
});

const screeningRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/reports/screenings/{id}',
  operationId: 'getScreeningReport',
  summary: 'One screening: seats sold and their revenue, seats held and blocked right now, per seat type',
  description:
    "Sold seats and revenue come from Postgres (a seat counts as sold until its reservation's refund is done); held and blocked seats come from the screening's seat coordinator, as they are right now.",
  request: { params: IdParams },
  responses: {
    200: json(ScreeningReport, "The screening's report"),
    ...guarded,
    404: problem('NOT_FOUND', 'No such screening'),
  },
});

const rangeName = (report: string, range: { from: string; to: string }) =>
  `${report}-${range.from}-to-${range.to}`;

export const adminReportRoutes = createRouter()
  .openapi(summaryRoute, async (c) => {
    const range = reportRange(c.req.valid('query'), c.get('settings').TIMEZONE);
    return c.json(await salesSummary(c.get('db')(), range), 200);
  })
  .openapi(dailyRoute, async (c) => {
    const range = reportRange(c.req.valid('query'), c.get('settings').TIMEZONE);
    const items = await dailySales(c.get('db')(), range);
    return itemsAnswer(
      c,
      rangeName('daily-sales', range),
      ['date', 'revenue', 'refunds', 'reservations', 'seatsSold'],
      items,
    );
  })
  .openapi(topMoviesRoute, async (c) => {
    const { limit, ...days } = c.req.valid('query');
    const range = reportRange(days, c.get('settings').TIMEZONE);
    const items = await topMoviesIn(c.get('db')(), range, limit);
    return itemsAnswer(
      c,
      rangeName('top-movies', range),
      ['movieId', 'title', 'revenue', 'seatsSold'],
      items,
    );
  })
  .openapi(screeningRoute, async (c) => {
    const { id } = c.req.valid('param');
    await requireScreening(c.get('db'), id);
    return c.json(await screeningReport(c.get('db')(), c.get('runtime').seats, id), 200);
  });
