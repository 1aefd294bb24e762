// The waiting room (API.md, Waiting room): join a screening's queue, follow a ticket, and the
// admin's counts and settings. Thin: the use cases are in services/waiting-room-service.ts.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { joinQueue, queueCounts, queueTicket, type RoomDeps } from '../../services/waiting-room-service.ts';
import type { AppEnv } from '../context.ts';
import { bearer, requireAdmin, requireUser } from '../middleware/auth.ts';
import { createRouter, validatedAtOnce } from '../openapi.ts';
import { IdParams } from '../schemas/admin.ts';
import { json, problem } from '../schemas/common.ts';
import { ScreeningParams } from '../schemas/seats.ts';
import {
  admittedExample,
  QueueCountsSchema,
  QueueTicketSchema,
  TicketParams,
} from '../schemas/waiting-room.ts';

const unauthorized = problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one');
const ticketResponse = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: QueueTicketSchema,
      examples: {
        waiting: {
          value: QueueTicketSchema.parse({
            ticketId: admittedExample.ticketId,
            status: 'WAITING',
            position: 412,
            estimatedWaitSeconds: 42,
            pollAfterSeconds: 11,
          }),
        },
        admitted: { value: admittedExample },
      },
    },
  },
});

const joinRoute = createRoute({
  method: 'post',
  path: '/api/screenings/{id}/queue',
  tags: ['Waiting room'],
  operationId: 'joinQueue',
  summary: "Join the screening's waiting room (one ticket per member)",
  description:
    'Answers the ticket: WAITING with `position`, `estimatedWaitSeconds` and `pollAfterSeconds`, or ADMITTED with `admissionToken` and `admittedUntil`. Joining again answers the same ticket with 200. Everyone who joined before `salesOpenAt` is drawn in one uniformly random order at `salesOpenAt` (`position` is null until then); later arrivals queue behind them in arrival order.',
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: ScreeningParams },
  responses: {
    201: ticketResponse('A new ticket'),
    200: ticketResponse('The ticket the member already had'),
    400: problem('VALIDATION_FAILED', 'The id is not a UUID'),
    401: unauthorized,
    404: problem('NOT_FOUND', 'No such screening, or it has no waiting room'),
    409: problem('QUEUE_NOT_OPEN', 'Before `salesOpenAt` minus `opensBeforeMinutes` (`opensAt` says when)'),
  },
});

const ticketRoute = createRoute({
  method: 'get',
  path: '/api/screenings/{id}/queue/{ticketId}',
  tags: ['Waiting room'],
  operationId: 'getQueueTicket',
  summary: 'Your ticket, up to date: position and wait, or the admission',
  description:
    'Ask again after `pollAfterSeconds`. Once ADMITTED, hold seats with header `Admission-Token` until `admittedUntil` (ADMISSION_SECONDS after admission, default 900); after that the ticket is EXPIRED. Only its owner sees a ticket: anybody else gets 404.',
  'x-auth': 'owner',
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: TicketParams },
  responses: {
    200: ticketResponse('The ticket'),
    400: problem('VALIDATION_FAILED', 'An id is not a UUID'),
    401: unauthorized,
    404: problem('NOT_FOUND', "No such screening, no waiting room, or not the caller's ticket"),
  },
});

const admin = { tags: ['Admin'], 'x-auth': 'admin', security: bearer, middleware: requireAdmin };
const adminErrors = {
  400: problem('VALIDATION_FAILED', 'Bad input: `errors` says which field (unknown fields are refused too)'),
  401: unauthorized,
  403: problem('FORBIDDEN', 'The caller is not an admin'),
};

const countsRoute = createRoute({
  ...admin,
  method: 'get',
  path: '/api/admin/screenings/{id}/queue',
  operationId: 'adminQueueCounts',
  summary: "The waiting room's counts: waiting, admitted, and the rate",
  description: 'Counts of tickets waiting and admitted so far, and the configured `admitPerMinute`.',
  request: { params: IdParams },
  responses: {
    200: json(QueueCountsSchema, 'The counts'),
    ...adminErrors,
    404: problem('NOT_FOUND', 'No such screening, or it has no waiting room'),
  },
});

function deps<E extends AppEnv>(c: Context<E>): RoomDeps {
  const { JWT_SECRET, ADMISSION_SECONDS } = c.get('settings');
  if (!JWT_SECRET) throw new Error('JWT_SECRET is not configured');
  return {
    db: c.get('db'),
    store: c.get('runtime').waitingRoom,
    secret: JWT_SECRET,
    admissionSeconds: ADMISSION_SECONDS,
  };
}

export const waitingRoomRoutes = createRouter()
  .openapi(validatedAtOnce(joinRoute), async (c) => {
    const { created, ticket } = await joinQueue(deps(c), c.req.valid('param').id, c.get('member').id);
    return created ? c.json(ticket, 201) : c.json(ticket, 200);
  })
  .openapi(validatedAtOnce(ticketRoute), async (c) => {
    const { id, ticketId } = c.req.valid('param');
    return c.json(await queueTicket(deps(c), id, ticketId, c.get('member').id), 200);
  })
  .openapi(validatedAtOnce(countsRoute), async (c) =>
    c.json(await queueCounts(deps(c), c.req.valid('param').id), 200),
  );
