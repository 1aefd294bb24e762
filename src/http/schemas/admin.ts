// Schemas of the admin catalog (API.md, Admin). Bodies are strict: an unknown field is a 400,
// never silently dropped or assigned (no mass assignment).
import { z } from '@hono/zod-openapi';
import { PAYMENT_METHODS, PAYMENT_STATUSES, RESERVATION_STATUSES } from '../../adapters/db/schema.ts';
import {
  EXAMPLE_IDS,
  MovieStatus,
  PosterUrl,
  Prices,
  Rating,
  ScreeningSummary,
  SeatType,
  SingleSeatGapsSchema,
  screeningSummaryExample,
} from './catalog.ts';
import { PageQuery, pageOf } from './pagination.ts';
import { RESERVATION_EXAMPLE, ReservationSchema } from './reservations.ts';
import { Uuid } from './seats.ts';
import { WaitingRoomField } from './waiting-room.ts';

const Time = z.string().openapi({ format: 'date-time' });
const Instant = z.iso
  .datetime({ offset: true })
  .openapi({ description: 'ISO-8601 with Z or an offset', example: '2025-06-01T10:00:00Z' });

export const IdParams = z.object({
  id: Uuid.openapi({ param: { name: 'id', in: 'path' }, example: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10' }),
});

const movieFields = {
  title: z.string().trim().min(1).max(200).openapi({ example: 'Paper Moons' }),
  runtimeMinutes: z.number().int().min(1).max(1000).openapi({ example: 98 }),
  rating: Rating,
  status: MovieStatus,
};
export const MovieCreate = z
  .object({ ...movieFields, posterUrl: PosterUrl.nullable().optional() })
  .strict()
  .openapi('MovieCreate', {
    example: {
      title: 'Opening Night',
      runtimeMinutes: 125,
      rating: '12',
      status: 'UPCOMING',
      posterUrl: 'https://images.example.com/posters/opening-night.jpg',
    },
  });
export const MoviePatch = z
  .object({ ...movieFields, posterUrl: PosterUrl.nullable() })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change')
  .openapi('MoviePatch', { example: { status: 'SHOWING' } });

export const TheaterCreate = z
  .object({ name: z.string().trim().min(1).max(100).openapi({ example: 'Marquee Riverside' }) })
  .strict()
  .openapi('TheaterCreate', { example: { name: 'Marquee Riverside' } });

const RowLayout = z
  .object({
    label: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/, '1 to 3 of A-Z and 0-9')
      .openapi({ example: 'A' }),
    seats: z.number().int().min(1).max(60).openapi({ example: 12 }),
    type: SeatType,
  })
  .strict();
export const ScreenCreate = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Hall 3' }),
    rows: z
      .array(RowLayout)
      .min(1)
      .max(40)
      .refine(
        (rows) => new Set(rows.map((row) => row.label)).size === rows.length,
        'row labels must be distinct',
      ),
  })
  .strict()
  .openapi('ScreenCreate', {
    example: {
      name: 'Hall A',
      rows: [
        { label: 'A', seats: 10, type: 'STANDARD' },
        { label: 'B', seats: 8, type: 'VIP' },
      ],
    },
  });
export const ScreenCreated = z
  .object({
    id: z.string(),
    theaterId: z.string(),
    name: z.string(),
    seatCount: z.number().int(),
    seats: z.array(
      z.object({ seatId: z.string(), rowLabel: z.string(), seatNo: z.number().int(), type: SeatType }),
    ),
  })
  .openapi('Screen', {
    example: {
      id: EXAMPLE_IDS.screen,
      theaterId: EXAMPLE_IDS.theater,
      name: 'Hall A',
      seatCount: 2,
      seats: [
        { seatId: '3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b', rowLabel: 'A', seatNo: 1, type: 'STANDARD' },
        { seatId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', rowLabel: 'A', seatNo: 2, type: 'STANDARD' },
      ],
    },
  });

export const ScreeningCreate = z
  .object({
    movieId: Uuid,
    screenId: Uuid,
    startTime: Instant,
    salesOpenAt: Instant.optional().openapi({ description: 'default now; not after startTime' }),
    prices: Prices,
    waitingRoom: WaitingRoomField.optional().openapi({ description: 'default null: no waiting room' }),
    singleSeatGaps: SingleSeatGapsSchema.optional().openapi({ description: 'default ALLOW' }),
  })
  .strict()
  .openapi('ScreeningCreate', {
    example: {
      movieId: EXAMPLE_IDS.movie,
      screenId: EXAMPLE_IDS.screen,
      startTime: '2025-06-01T10:00:00Z',
      salesOpenAt: '2025-05-25T00:00:00Z',
      prices: { STANDARD: 12000, VIP: 20000 },
      singleSeatGaps: 'PREVENT',
    },
  });

/**
 * PATCH /api/admin/screenings/:id: each field optional, unknown fields refused. Other features add
 * their fields to this object (the waiting room), so it is exported as a shape too.
 */
export const screeningPatchFields = {
  salesOpenAt: Instant.optional().openapi({ description: 'not after startTime' }),
  prices: Prices.optional().openapi({ description: 'a price for every seat type of the screen' }),
  singleSeatGaps: SingleSeatGapsSchema.optional(),
  waitingRoom: WaitingRoomField.optional().openapi({ description: 'null removes the room' }),
};
export const ScreeningPatch = z
  .object(screeningPatchFields)
  .strict()
  .openapi('ScreeningPatch', {
    example: {
      salesOpenAt: '2025-05-26T00:00:00Z',
      prices: { STANDARD: 13000, VIP: 21000 },
      singleSeatGaps: 'PREVENT',
    },
  });

const adminScreeningExample = {
  ...screeningSummaryExample(),
  prices: { STANDARD: 12000, VIP: 20000 },
  waitingRoom: null,
  singleSeatGaps: 'ALLOW' as const,
  createdAt: '2025-05-20T03:00:00.000Z',
};
export const AdminScreening = ScreeningSummary.extend({
  prices: z.record(z.string(), z.number().int()),
  waitingRoom: WaitingRoomField,
  singleSeatGaps: SingleSeatGapsSchema,
  createdAt: Time,
}).openapi('AdminScreening', { example: adminScreeningExample });
export const AdminScreeningList = pageOf(AdminScreening, 'AdminScreeningList', adminScreeningExample);
export const AdminScreeningQuery = PageQuery.extend({
  movieId: Uuid.optional().openapi({ param: { name: 'movieId', in: 'query' } }),
  screenId: Uuid.optional().openapi({ param: { name: 'screenId', in: 'query' } }),
});

export const AdminMovieQuery = PageQuery.extend({
  status: MovieStatus.optional().openapi({ param: { name: 'status', in: 'query' } }),
});

const adminReservationExample = {
  ...RESERVATION_EXAMPLE,
  memberId: '5d0f3c1e-2b7a-4c9d-8e6f-1a2b3c4d5e6f',
  buyerLoginId: 'moviegoer_42',
};
/** A reservation as the admin list answers it: the contract's reservation plus who bought it. */
export const AdminReservation = ReservationSchema.extend({
  memberId: z.string().openapi({ description: 'The member who bought it' }),
  buyerLoginId: z.string().openapi({ description: "That member's login id", example: 'moviegoer_42' }),
}).openapi('AdminReservation', { example: adminReservationExample });
export const AdminReservationList = pageOf(AdminReservation, 'AdminReservationList', adminReservationExample);
export const AdminReservationQuery = PageQuery.extend({
  screeningId: Uuid.optional().openapi({ param: { name: 'screeningId', in: 'query' } }),
  status: z
    .enum(RESERVATION_STATUSES)
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
});

export const PaymentStatus = z.enum(PAYMENT_STATUSES).openapi('PaymentStatus');
const adminPaymentExample = {
  id: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b',
  status: 'APPROVED',
  amount: 12000,
  method: 'CARD',
  reservationNo: 'MQ-250530-7KQ2MZ',
  screeningId: EXAMPLE_IDS.screening,
  memberId: '5d0f3c1e-2b7a-4c9d-8e6f-1a2b3c4d5e6f',
  createdAt: '2025-05-30T08:12:43.000Z',
} as const;
export const AdminPayment = z
  .object({
    id: z.string(),
    status: PaymentStatus,
    amount: z.number().int(),
    method: z.enum(PAYMENT_METHODS),
    reservationNo: z.string().nullable(),
    screeningId: z.string(),
    memberId: z.string(),
    createdAt: Time,
  })
  .openapi('AdminPayment', { example: adminPaymentExample });
export const AdminPaymentList = pageOf(AdminPayment, 'AdminPaymentList', adminPaymentExample);
export const AdminPaymentQuery = PageQuery.extend({
  status: PaymentStatus.optional().openapi({ param: { name: 'status', in: 'query' } }),
});
