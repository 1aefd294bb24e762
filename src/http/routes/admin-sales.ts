// What the admin sees of sales (API.md, Admin): every reservation and every payment attempt,
// newest first. Behind requireAdmin.
import { createRoute } from '@hono/zod-openapi';
import { listPayments } from '../../adapters/db/payment-read-repository.ts';
import { listReservationsWithBuyers } from '../../adapters/db/reservation-read-repository.ts';
import { bearer, requireAdmin } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import {
  AdminPaymentList,
  AdminPaymentQuery,
  AdminReservationList,
  AdminReservationQuery,
} from '../schemas/admin.ts';
import { json, problem } from '../schemas/common.ts';

const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const guarded = {
  400: problem('VALIDATION_FAILED', 'A bad filter, limit or cursor'),
  401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  403: problem('FORBIDDEN', 'The caller is not an admin'),
};

const reservationsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/reservations',
  operationId: 'adminListReservations',
  summary: "Every member's reservations, newest first",
  description:
    "Every reservation, optionally of one screening or one status (CONFIRMED, CANCELLED), each with the member who bought it (`memberId`) and that member's login id (`buyerLoginId`), fields the admin list adds to the reservation.",
  request: { query: AdminReservationQuery },
  responses: { 200: json(AdminReservationList, 'A page of reservations'), ...guarded },
});

const paymentsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/admin/payments',
  operationId: 'adminListPayments',
  summary: 'Every payment attempt, newest first',
  description:
    'Every payment row, whatever became of it (PENDING, APPROVED, DECLINED, FAILED, REFUNDED), with its reservation number once there is one.',
  request: { query: AdminPaymentQuery },
  responses: { 200: json(AdminPaymentList, 'A page of payments'), ...guarded },
});

export const adminSalesRoutes = createRouter()
  .openapi(reservationsRoute, async (c) => {
    const { screeningId, status, ...page } = c.req.valid('query');
    return c.json(await listReservationsWithBuyers(c.get('db')(), { screeningId, status }, page), 200);
  })
  .openapi(paymentsRoute, async (c) => {
    const { status, ...page } = c.req.valid('query');
    return c.json(await listPayments(c.get('db')(), { status }, page), 200);
  });
