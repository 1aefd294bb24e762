// Schemas of the public catalog (API.md, Catalog): movies, theaters with their screens, screenings.
import { z } from '@hono/zod-openapi';
import { MOVIE_STATUSES, RATINGS, SEAT_TYPES } from '../../adapters/db/schema.ts';
import { PageQuery, pageOf } from './pagination.ts';
import { Uuid } from './seats.ts';

export const MovieStatus = z.enum(MOVIE_STATUSES).openapi('MovieStatus');
export const Rating = z.enum(RATINGS).openapi('Rating');
export const SeatType = z.enum(SEAT_TYPES).openapi('SeatType');
const Time = z.string().openapi({ format: 'date-time', example: '2025-06-01T10:00:00.000Z' });

export const MovieSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    runtimeMinutes: z.number().int(),
    rating: Rating,
    status: MovieStatus,
  })
  .openapi('Movie');
export const MovieList = pageOf(MovieSchema, 'MovieList');

export const ScreenSummary = z
  .object({ id: z.string(), name: z.string(), seatCount: z.number().int() })
  .openapi('ScreenSummary');
export const TheaterSchema = z
  .object({ id: z.string(), name: z.string(), screens: z.array(ScreenSummary) })
  .openapi('Theater');
export const TheaterList = pageOf(TheaterSchema, 'TheaterList');

const Price = z.number().int().min(0).max(10_000_000).openapi({ example: 12000 });
/** KRW per seat type; only the seat types a screening's screen has are required. */
export const Prices = z
  .object({
    STANDARD: Price.optional(),
    PREMIUM: Price.optional(),
    VIP: Price.optional(),
    COUPLE: Price.optional(),
    WHEELCHAIR: Price.optional(),
  })
  .strict()
  .openapi('Prices', { example: { STANDARD: 12000, PREMIUM: 15000 } });

export const ScreeningSummary = z
  .object({
    id: z.string(),
    movieId: z.string(),
    screenId: z.string(),
    theaterId: z.string(),
    startTime: Time,
    endTime: Time,
    salesOpenAt: Time,
    availableSeats: z.number().int(),
  })
  .openapi('ScreeningSummary');
export const ScreeningList = pageOf(ScreeningSummary, 'ScreeningList');

export const ScreeningDetail = z
  .object({
    id: z.string(),
    movie: MovieSchema,
    screen: z.object({ id: z.string(), name: z.string() }),
    theater: z.object({ id: z.string(), name: z.string() }),
    startTime: Time,
    endTime: Time,
    salesOpenAt: Time,
    prices: z.record(z.string(), z.number().int()).openapi({ example: { STANDARD: 12000 } }),
    availableSeats: z.number().int(),
  })
  .openapi('ScreeningDetail');

/** Public lookups answer 404 for any id they do not know, well-formed or not. */
export const LookupParams = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10' }),
});

export const MovieQuery = PageQuery.extend({
  status: MovieStatus.optional().openapi({ param: { name: 'status', in: 'query' } }),
});
export const TheaterQuery = PageQuery;
export const ScreeningQuery = PageQuery.extend({
  movieId: Uuid.optional().openapi({ param: { name: 'movieId', in: 'query' } }),
  theaterId: Uuid.optional().openapi({ param: { name: 'theaterId', in: 'query' } }),
  date: z.iso
    .date()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      description: 'A calendar day in the TIMEZONE setting (default Asia/Seoul)',
      example: '2025-06-01',
    }),
});
