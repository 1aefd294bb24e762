// Reservations and payments as API.md shows them.
import { z } from '@hono/zod-openapi';
import { PAYMENT_METHODS } from '../../ports/payment-gateway.ts';
import { Uuid } from './seats.ts';

const reservationExample = {
  reservationNo: 'MQ-250530-7KQ2MZ',
  status: 'CONFIRMED' as const,
  screeningId: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10',
  seatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'],
  seats: [
    {
      seatId: '3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b',
      rowLabel: 'A',
      seatNo: 1,
      type: 'STANDARD',
      price: 12000,
    },
  ],
  movieTitle: 'Paper Moons',
  theaterName: 'Marquee Riverside',
  screenName: 'Hall 1',
  startTime: '2025-06-01T10:00:00.000Z',
  totalAmount: 12000,
  createdAt: '2025-05-30T08:12:44.000Z',
};
/** One reservation, for the examples of lists of them. */
export const RESERVATION_EXAMPLE = reservationExample;

export const ReservationSchema = z
  .object({
    reservationNo: z.string().openapi({ example: 'MQ-250530-7KQ2MZ' }),
    status: z.enum(['CONFIRMED', 'CANCELLED']),
    screeningId: z.string(),
    seatIds: z.array(z.string()),
    seats: z.array(
      z.object({
        seatId: z.string(),
        rowLabel: z.string(),
        seatNo: z.number().int(),
        type: z.string(),
        price: z.number().int(),
      }),
    ),
    movieTitle: z.string(),
    theaterName: z.string(),
    screenName: z.string(),
    startTime: z.string().openapi({ format: 'date-time' }),
    totalAmount: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Reservation', { example: reservationExample });

export const PaymentRequestSchema = z
  .object({
    holdToken: z.string().min(1).max(64),
    screeningId: Uuid,
    method: z.enum(PAYMENT_METHODS),
    cardNumber: z
      .string()
      .regex(/^\d{12,19}$/, 'card numbers are 12 to 19 digits')
      .optional()
      .openapi({ description: 'CARD only: 4242424242424242 approves, 4000000000000002 declines' }),
  })
  .openapi('PaymentRequest', {
    example: {
      holdToken: '6c1f8e2d-4b3a-4c5d-9e8f-7a6b5c4d3e2f',
      screeningId: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10',
      method: 'CARD',
      cardNumber: '4242424242424242',
    },
  });

export const PaymentResultSchema = z
  .object({
    reservation: ReservationSchema,
    payment: z.object({
      id: z.string(),
      status: z.literal('APPROVED'),
      amount: z.number().int(),
      method: z.enum(PAYMENT_METHODS),
    }),
  })
  .openapi('PaymentResult', {
    example: {
      reservation: reservationExample,
      payment: {
        id: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b',
        status: 'APPROVED',
        amount: 12000,
        method: 'CARD',
      },
    },
  });

export const CancelResultSchema = z
  .object({
    reservationNo: z.string(),
    status: z.literal('CANCELLED'),
    refund: z.object({ status: z.enum(['REFUNDED', 'PENDING']), amount: z.number().int() }),
  })
  .openapi('CancelResult', {
    example: {
      reservationNo: 'MQ-250530-7KQ2MZ',
      status: 'CANCELLED',
      refund: { status: 'REFUNDED', amount: 12000 },
    },
  });

export const ReservationNoParams = z.object({
  reservationNo: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[\w-]+$/, 'letters, digits, _ and -')
    .openapi({ param: { name: 'reservationNo', in: 'path' }, example: 'MQ-250530-7KQ2MZ' }),
});
