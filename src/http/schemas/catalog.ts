// Schemas of the public catalog (API.md, Catalog): movies, theaters with their screens, screenings.
import { z } from '@hono/zod-openapi';
import { MOVIE_STATUSES, RATINGS, SEAT_TYPES } from '../../adapters/db/schema.ts';
import { PageQuery, pageOf } from './pagination.ts';
import { Uuid } from './seats.ts';
import { WaitingRoomField } from './waiting-room.ts';

export const MovieStatus = z.enum(MOVIE_STATUSES).openapi('MovieStatus');
export const Rating = z.enum(RATINGS).openapi('Rating');
export const SeatType = z.enum(SEAT_TYPES).openapi('SeatType');
const Time = z.string().openapi({ format: 'date-time', example: '2025-06-01T10:00:00.000Z' });

const ID = {
  movie: 'a4e1b2c3-d4e5-4f60-8a7b-1c2d3e4f5a6b',
  theater: '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  screen: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  screening: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10',
};
/** Ids the examples share, so one example's ids lead to another's. */
export const EXAMPLE_IDS = ID;

export const movieExample = {
  id: ID.movie,
  title: 'Paper Moons',
  runtimeMinutes: 98,
  rating: '12',
  status: 'SHOWING',
  posterUrl: 'https://images.example.com/posters/paper-moons.jpg',
} as const;

const POSTER = {
  description: 'An https address of the poster image; null when the movie has none',
  example: 'https://images.example.com/posters/paper-moons.jpg',
};
/**
 * What an admin may set as a poster: an https address on a domain name, at most 2,000 characters,
 * stored normalised (the page loads it in an <img>; never http, never another scheme).
 */
export const PosterUrl = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain, normalize: true })
  .max(2000)
  .openapi(POSTER);

export const MovieSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    runtimeMinutes: z.number().int(),
    rating: Rating,
    status: MovieStatus,
    posterUrl: z
      .string()
      .nullable()
      .openapi({ ...POSTER, format: 'uri' }),
  })
  .openapi('Movie', { example: movieExample });
export const MovieList = pageOf(MovieSchema, 'MovieList', movieExample);

export const ScreenSummary = z
  .object({ id: z.string(), name: z.string(), seatCount: z.number().int() })
  .openapi('ScreenSummary');
const theaterExample = {
  id: ID.theater,
  name: 'Marquee Riverside',
  timeZone: 'Asia/Seoul',
  screens: [{ id: ID.screen, name: 'Hall 1', seatCount: 120 }],
};
export const TheaterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string().openapi({
      description:
        "The IANA time zone of the theater's dates and times (the TIMEZONE setting): screening days (`date`) are days there, and a page shows times in it",
      example: 'Asia/Seoul',
    }),
    screens: z.array(ScreenSummary),
  })
  .openapi('Theater', { example: theaterExample });
export const TheaterList = pageOf(TheaterSchema, 'TheaterList', theaterExample);

/** A theater as the API answers it: with the zone its dates and times are in (TIMEZONE). */
export const inTimeZone =
  (timeZone: string) =>
  <T extends object>(theater: T): T & { timeZone: string } => ({ ...theater, timeZone });
/** A page of theaters, each with its time zone. */
export const pageInTimeZone = <T extends object>(
  page: { items: T[]; nextCursor: string | null },
  timeZone: string,
) => ({
  ...page,
  items: page.items.map(inTimeZone(timeZone)),
});

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
  .openapi('ScreeningSummary', { example: screeningSummaryExample() });
export const ScreeningList = pageOf(ScreeningSummary, 'ScreeningList', screeningSummaryExample());

export const SingleSeatGapsSchema = z.enum(['ALLOW', 'PREVENT']).openapi('SingleSeatGaps', {
  description:
    'PREVENT refuses a hold that would leave one AVAILABLE seat alone in its row (409 SINGLE_SEAT_GAP); ALLOW (the default) does not',
});

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
    singleSeatGaps: SingleSeatGapsSchema,
    availableSeats: z.number().int(),
    waitingRoom: WaitingRoomField.openapi({
      description: "The sale's waiting room, or null: with one, join it before holding seats",
    }),
  })
  .openapi('ScreeningDetail', {
    example: {
      id: ID.screening,
      movie: movieExample,
      screen: { id: ID.screen, name: 'Hall 1' },
      theater: { id: ID.theater, name: 'Marquee Riverside' },
      startTime: '2025-06-01T10:00:00.000Z',
      endTime: '2025-06-01T11:38:00.000Z',
      salesOpenAt: '2025-05-25T00:00:00.000Z',
      prices: { STANDARD: 12000, PREMIUM: 15000 },
      singleSeatGaps: 'ALLOW',
      availableSeats: 117,
      waitingRoom: null,
    },
  });

export function screeningSummaryExample() {
  return {
    id: ID.screening,
    movieId: ID.movie,
    screenId: ID.screen,
    theaterId: ID.theater,
    startTime: '2025-06-01T10:00:00.000Z',
    endTime: '2025-06-01T11:38:00.000Z',
    salesOpenAt: '2025-05-25T00:00:00.000Z',
    availableSeats: 117,
  };
}

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
