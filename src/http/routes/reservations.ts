// The caller's reservations: list, detail and cancel (owner or admin; 404 for anybody else).
import { createRoute } from '@hono/zod-openapi';
import { listReservations } from '../../adapters/db/reservation-read-repository.ts';
import { FAULT_HEADER, faultsFrom } from '../../services/faults.ts';
import { cancelReservation, visibleReservation } from '../../services/reservation-service.ts';
import { keepWorking } from '../keep-working.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';
import { PageQuery, pageOf } from '../schemas/pagination.ts';
import {
  CancelResultSchema,
  RESERVATION_EXAMPLE,
  ReservationNoParams,
  ReservationSchema,
} from '../schemas/reservations.ts';

const ReservationPage = pageOf(ReservationSchema, 'ReservationPage', RESERVATION_EXAMPLE);
const common = { tags: ['Reservations'], security: bearer, middleware: requireUser };

const list = createRoute({
  ...common,
  method: 'get',
  path: '/api/reservations',
  operationId: 'listMyReservations',
  summary: "The caller's reservations, newest first",
  description:
    "The caller's reservations, confirmed and cancelled, newest first, each with its seats and prices.",
  'x-auth': 'user',
  request: { query: PageQuery },
  responses: {
    200: json(ReservationPage, 'A page'),
    400: problem('VALIDATION_FAILED', 'A bad limit or cursor'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  },
});

const detail = createRoute({
  ...common,
  method: 'get',
  path: '/api/reservations/{reservationNo}',
  operationId: 'getReservation',
  summary: 'One reservation with its seats, movie, theater, screen and start time',
  description:
    'By reservation number. Its owner and admins see it; for anybody else it does not exist (404).',
  'x-auth': 'owner',
  request: { params: ReservationNoParams },
  responses: {
    200: json(ReservationSchema, 'The reservation'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    404: problem('NOT_FOUND', "No such reservation of the caller's"),
  },
});

const cancel = createRoute({
  ...common,
  method: 'post',
  path: '/api/reservations/{reservationNo}/cancel',
  operationId: 'cancelReservation',
  summary: 'Cancel and refund; cancelling again answers the same',
  description:
    'The seats go RESERVATION_CANCELLED, the payment is refunded through the gateway, then the seats are AVAILABLE again. A refund the gateway refuses stays PENDING and is retried. Closed CANCELLATION_CUTOFF_MINUTES (default 20) before the start. Cancelling a cancelled reservation answers the same 200. Owner or admin; anybody else gets 404.',
  'x-auth': 'owner',
  request: { params: ReservationNoParams },
  responses: {
    200: json(CancelResultSchema, 'Cancelled'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    404: problem('NOT_FOUND', "No such reservation of the caller's"),
    409: problem('CANCELLATION_CLOSED', 'Too close to the start (CANCELLATION_CUTOFF_MINUTES)'),
  },
});

export const reservationRoutes = createRouter()
  .openapi(list, async (c) => {
    const page = await listReservations(
      c.get('db')(),
      { memberId: c.get('member').id },
      c.req.valid('query'),
    );
    return c.json(page, 200);
  })
  .openapi(detail, async (c) => {
    const record = await visibleReservation(
      c.get('db')(),
      c.get('member'),
      c.req.valid('param').reservationNo,
    );
    return c.json(record.view, 200);
  })
  .openapi(cancel, async (c) => {
    const runtime = c.get('runtime');
    const faults = faultsFrom(c.get('settings').MARQUEE_TEST_FAULTS, c.req.header(FAULT_HEADER));
    const answer = await keepWorking(
      c,
      cancelReservation(
        {
          db: c.get('db'),
          seats: runtime.seats,
          gateway: runtime.paymentGateway(c.get('db'), faults),
          cutoffMinutes: c.get('settings').CANCELLATION_CUTOFF_MINUTES,
        },
        c.get('member'),
        c.req.valid('param').reservationNo,
      ),
    );
    return c.json(answer, 200);
  });
