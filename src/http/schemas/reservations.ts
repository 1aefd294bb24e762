// Reservations and payments as API.md shows them.
import { z } from '@hono/zod-openapi';
import { PAYMENT_METHODS } from '../../ports/payment-gateway.ts';
import { Uuid } from './seats.ts';

export const ReservationSchema = z
  .object({
    reservationNo: z.string().openapi({ example: 'MQ-261125-7KQ2MZ' }),
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
  .openapi('Reservation');

export const PaymentRequestSchema = z
  .object({
    holdToken: z.string().min(1).max(64),
    screeningId: Uuid,
    method: z.enum(PAYMENT_METHODS),
    cardNumber: z
      .string()
      .regex(/^\d{12,19}$/, 'card numbers are 12 to 19 digits')
      .optional(),
  })
  .openapi('PaymentRequest');

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
  .openapi('PaymentResult');

export const CancelResultSchema = z
  .object({
    reservationNo: z.string(),
    status: z.literal('CANCELLED'),
    refund: z.object({ status: z.enum(['REFUNDED', 'PENDING']), amount: z.number().int() }),
  })
  .openapi('CancelResult');

export const ReservationNoParams = z.object({
  reservationNo: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[\w-]+$/, 'letters, digits, _ and -')
    .openapi({ param: { name: 'reservationNo', in: 'path' }, example: 'MQ-261125-7KQ2MZ' }),
});
