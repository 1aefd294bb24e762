// POST /api/payments: an idempotent checkout of a hold. The use case is services/payment-service.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { isTestCard } from '../../adapters/payment/mock-gateway.ts';
import { AppError } from '../../domain/errors.ts';
import { FAULT_HEADER, faultsFrom } from '../../services/faults.ts';
import { pay } from '../../services/payment-service.ts';
import { requireScreening } from '../../services/screening-lookup.ts';
import { keepWorking } from '../keep-working.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { LIMITS, limitPerMember } from '../middleware/rate-limit.ts';
import { createRouter, validatedAtOnce } from '../openapi.ts';
import { problemBody } from '../problem.ts';
import { json, problem } from '../schemas/common.ts';
import { PaymentRequestSchema, PaymentResultSchema } from '../schemas/reservations.ts';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, '1 to 128 of A-Z, a-z, 0-9 and _ . : -')
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'c0ffee-2026-11-25-0001' }),
});

const route = createRoute({
  method: 'post',
  path: '/api/payments',
  tags: ['Payments'],
  operationId: 'payForHold',
  summary: 'Pay for a hold: its seats become a reservation',
  description:
    "The hold's seats go PAYMENT_PENDING (the hold TTL no longer applies; the payment has PAYMENT_TIMEOUT_SECONDS), the gateway is charged, and the reservation and the approved payment are committed together; the seats become RESERVED. A declined card or a gateway timeout frees the seats and charges nothing. `cardNumber` is required for CARD; wallet methods (KAKAO_PAY, NAVER_PAY, TOSS, BANK_TRANSFER) are approved. Idempotent by the `Idempotency-Key` header (scoped to the caller, kept 24 h): the same key and body replay the first final answer; another body is 422; a key still in flight is 409. Test cards: 4242424242424242 approves, 4000000000000002 declines, 4000000000009995 times out.",
  'x-auth': 'owner',
  security: bearer,
  middleware: [requireUser, limitPerMember(LIMITS.payments)] as const,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: PaymentRequestSchema } } },
  },
  responses: {
    201: json(PaymentResultSchema, 'Paid and reserved'),
    400: problem(
      'VALIDATION_FAILED',
      'A malformed body, a card number that is not a test card, or a missing or malformed Idempotency-Key',
    ),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    402: problem('PAYMENT_DECLINED', 'The card was declined; nothing was charged, the seats are free again'),
    404: problem(
      'HOLD_NOT_FOUND',
      "No such hold of the caller's in that screening (or it expired and is forgotten)",
    ),
    409: problem(
      ['HOLD_EXPIRED', 'IDEMPOTENCY_KEY_IN_USE', 'PAYMENT_IN_PROGRESS', 'SEAT_NOT_AVAILABLE'],
      'The hold expired, a request with this key is still running (Retry-After: the seconds until its lease ends, then the same request resumes it), payment for this hold started under another key, or a seat was sold meanwhile (the charge is refunded)',
    ),
    422: problem('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body'),
    429: problem(
      'RATE_LIMITED',
      'Too many payments by this member (PAYMENTS_PER_USER_PER_MINUTE) or requests from this address',
    ),
    502: problem(
      'PAYMENT_GATEWAY_ERROR',
      'The gateway timed out; nothing was charged, the seats are free again',
    ),
  },
});

export const paymentRoutes = createRouter().openapi(validatedAtOnce(route), async (c) => {
  const body = c.req.valid('json');
  const key = c.req.valid('header')['idempotency-key'];
  if (body.method === 'CARD' && !(body.cardNumber && isTestCard(body.cardNumber))) {
    throw new AppError('VALIDATION_FAILED', 'this gateway accepts only its test cards', {
      errors: [{ path: 'cardNumber', message: 'use 4242424242424242, 4000000000000002 or 4000000000009995' }],
    });
  }
  const screeningId = await requireScreening(c.get('db'), body.screeningId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND')
      throw new AppError('HOLD_NOT_FOUND', 'no such hold');
    throw error;
  });
  const runtime = c.get('runtime');
  const faults = faultsFrom(c.get('settings').MARQUEE_TEST_FAULTS, c.req.header(FAULT_HEADER));
  // A buyer who gives up (a timeout, a closed tab) must not leave the payment half done.
  const result = await keepWorking(
    c,
    pay(
      {
        db: c.get('db'),
        seats: runtime.seats,
        gateway: runtime.paymentGateway(c.get('db'), faults),
        faults,
        problem: problemBody,
        ...(runtime.sha256 ? { sha256: runtime.sha256 } : {}),
      },
      c.get('member').id,
      key,
      { ...body, screeningId },
    ),
  );
  const type = result.status >= 400 ? 'application/problem+json' : 'application/json';
  return c.body(JSON.stringify(result.body), result.status as 201, { 'content-type': type }) as never;
});
