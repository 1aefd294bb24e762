// Schemas of the seat map, holds and the live socket (API.md: Seat states, Holds, Live seat map).
import { z } from '@hono/zod-openapi';
import { SEAT_TYPES } from '../../adapters/db/schema.ts';
import { MAX_SEATS_PER_HOLD, SEAT_STATES } from '../../domain/seats/index.ts';

/** Declared here, not taken from catalog.ts, which imports this module (a cycle would leave it undefined). */
const BestSeatType = z.enum(SEAT_TYPES);

/**
 * A UUID in its one canonical spelling (lower case). Ids name coordinators (a Durable Object's name,
 * a Redis key), so every spelling of one id must become the same string before anything uses it.
 */
export const Uuid = z.string().uuid().toLowerCase();
export const ScreeningParams = z.object({
  id: Uuid.openapi({ param: { name: 'id', in: 'path' }, example: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10' }),
});
export const HoldParams = ScreeningParams.extend({
  holdToken: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'holdToken', in: 'path' } }),
});

export const SeatStatus = z.enum(SEAT_STATES).openapi('SeatStatus');

const SCREENING = '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10';
export const EXAMPLE_SEATS = ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b', '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'];
const holdExample = {
  holdToken: '6c1f8e2d-4b3a-4c5d-9e8f-7a6b5c4d3e2f',
  screeningId: SCREENING,
  seatIds: EXAMPLE_SEATS,
  expiresAt: '2025-06-01T09:35:00.000Z',
};

export const SeatMapSchema = z
  .object({
    screeningId: z.string(),
    version: z.number().int(),
    seats: z.array(
      z.object({
        seatId: z.string(),
        rowLabel: z.string(),
        seatNo: z.number().int(),
        type: z.string(),
        status: SeatStatus,
        price: z.number().int(),
      }),
    ),
  })
  .openapi('SeatMap', {
    example: {
      screeningId: SCREENING,
      version: 42,
      seats: [
        {
          seatId: EXAMPLE_SEATS[0],
          rowLabel: 'A',
          seatNo: 1,
          type: 'STANDARD',
          status: 'AVAILABLE',
          price: 12000,
        },
        {
          seatId: EXAMPLE_SEATS[1],
          rowLabel: 'A',
          seatNo: 2,
          type: 'STANDARD',
          status: 'HOLD',
          price: 12000,
        },
      ],
    },
  });

/** While a screening has a waiting room, a hold carries the admission it gave (API.md, Waiting room). */
export const AdmissionHeader = z.object({
  'admission-token': z
    .string()
    .max(2048)
    .optional()
    .openapi({
      param: { name: 'admission-token', in: 'header' },
      description:
        'Required while the screening has a waiting room: the `admissionToken` of your ADMITTED ticket',
    }),
});

const SeatIdList = z
  .array(Uuid)
  .min(1)
  .max(MAX_SEATS_PER_HOLD)
  .refine((ids) => new Set(ids).size === ids.length, 'seat ids must be distinct');

export const BestRequestSchema = z
  .object({
    count: z.number().int().min(1).max(MAX_SEATS_PER_HOLD).openapi({ description: 'How many seats' }),
    types: z
      .array(BestSeatType)
      .min(1)
      .refine((types) => new Set(types).size === types.length, 'types must be distinct')
      .optional()
      .openapi({ description: 'Seat types allowed; default every type but WHEELCHAIR' }),
    wheelchair: z.number().int().min(0).max(MAX_SEATS_PER_HOLD).optional().openapi({
      description: 'How many of the seats must be WHEELCHAIR spaces (0..count); WHEELCHAIR is then allowed',
    }),
    together: z.boolean().optional().openapi({
      description:
        'Adjacent seats in one row (default true); with `wheelchair`, the wheelchair seats sit together',
    }),
  })
  .strict()
  .refine((best) => (best.wheelchair ?? 0) <= best.count, {
    message: 'wheelchair must be at most count',
    path: ['wheelchair'],
  })
  .openapi('BestRequest', { example: { count: 4, types: ['STANDARD', 'PREMIUM'], together: true } });

/** `{seatIds}` or `{best}`, exactly one of the two (API.md, Best available). */
export const HoldRequest = z
  .object({
    seatIds: SeatIdList.optional().openapi({ description: 'The seats to hold (or send `best`)' }),
    best: BestRequestSchema.optional().openapi({
      description: 'Let the coordinator choose the best seats (or send `seatIds`)',
    }),
  })
  .refine((body) => (body.seatIds === undefined) !== (body.best === undefined), {
    message: 'send exactly one of seatIds and best',
    path: ['seatIds'],
  })
  .openapi('HoldRequest', { example: { seatIds: EXAMPLE_SEATS } });

export const HoldSchema = z
  .object({
    holdToken: z.string(),
    screeningId: z.string(),
    seatIds: z.array(z.string()),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Hold', { example: holdExample });

export const HoldList = z
  .object({ items: z.array(HoldSchema) })
  .openapi('HoldList', { example: { items: [holdExample] } });
