// The seat map, the live socket, holds and the caller's holds. Each screening id is confirmed in
// Postgres before its coordinator is asked anything, and the coordinator is named by the id
// Postgres answers with (one spelling per screening).
import { createRoute } from '@hono/zod-openapi';
import { screeningsHeldSince } from '../../adapters/db/seat-repository.ts';
import { AppError } from '../../domain/errors.ts';
import { MAX_SEATS_PER_HOLD } from '../../domain/seats/index.ts';
import { requireScreening } from '../../services/screening-lookup.ts';
import { unwrap } from '../../services/seat-results.ts';
import { requireAdmission } from '../../services/waiting-room-service.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { LIMITS, limitPerMember } from '../middleware/rate-limit.ts';
import { createRouter } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';
import {
  AdmissionHeader,
  HoldList,
  HoldParams,
  HoldRequest,
  HoldSchema,
  ScreeningParams,
  SeatMapSchema,
} from '../schemas/seats.ts';

const seatMapRoute = createRoute({
  method: 'get',
  path: '/api/screenings/{id}/seats',
  tags: ['Seats'],
  operationId: 'getSeatMap',
  summary: "The screening's seat map, from its coordinator",
  description:
    'Every seat with its row, number, type, price and status (AVAILABLE, HOLD, PAYMENT_PENDING, RESERVED, RESERVATION_CANCELLED, BLOCKED, DISABLED), and the map `version`: the live socket numbers its batches from it.',
  'x-auth': 'public',
  request: { params: ScreeningParams },
  responses: {
    200: json(SeatMapSchema, 'Seat map'),
    400: problem('VALIDATION_FAILED', 'The id is not a UUID'),
    404: problem('NOT_FOUND', 'No such screening'),
  },
});

const liveRoute = createRoute({
  method: 'get',
  path: '/api/screenings/{id}/live',
  tags: ['Seats'],
  operationId: 'followSeatMap',
  summary: 'Live seat map (WebSocket): a snapshot, then one versioned batch per committed change',
  description:
    'Open with a WebSocket upgrade (`ws://` or `wss://`, no token needed). First message `{"type":"snapshot","version":N,"seats":[{"seatId","status"}]}`, then one `{"type":"seats","version":N+1,"changes":[{"seatId","status"}],"committedAt":<epoch ms>}` per committed change (hold, release, expiry, payment start and end, cancellation, block, disable). Versions grow by exactly 1: a client that sees a gap re-reads the snapshot (or `GET /api/screenings/{id}/seats`). `{"type":"ping"}` gets `{"type":"pong"}`; nothing else a client sends is read, and a message over 256 bytes closes the socket (1009). One client address may keep LIVE_SOCKETS_PER_IP_PER_SCREENING sockets (default 32) open on a screening; more get 429.',
  'x-auth': 'public',
  request: { params: ScreeningParams },
  responses: {
    101: { description: 'Switching protocols to WebSocket; the messages above follow' },
    400: problem('VALIDATION_FAILED', 'Not a WebSocket upgrade, or the id is not a UUID'),
    404: problem('NOT_FOUND', 'No such screening'),
    429: problem(
      'RATE_LIMITED',
      'This address has LIVE_SOCKETS_PER_IP_PER_SCREENING sockets open on the screening',
    ),
  },
});

const holdRoute = createRoute({
  method: 'post',
  path: '/api/screenings/{id}/holds',
  tags: ['Holds'],
  operationId: 'holdSeats',
  summary: `Hold 1–${MAX_SEATS_PER_HOLD} seats, all or nothing`,
  description: `Either every requested seat becomes HOLD for the caller, or nothing changes. The hold lives HOLD_TTL_SECONDS (default 300); pay for it with \`POST /api/payments\` or give it back. A member holds at most ${MAX_SEATS_PER_HOLD} seats of a screening at a time, and only inside the sales window (from \`salesOpenAt\` to the start).`,
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser, limitPerMember(LIMITS.holds)] as const,
  request: {
    params: ScreeningParams,
    headers: AdmissionHeader,
    body: { required: true, content: { 'application/json': { schema: HoldRequest } } },
  },
  responses: {
    201: json(HoldSchema, 'Held'),
    400: problem('VALIDATION_FAILED', 'Not 1 to 8 distinct seat UUIDs, or a seat of another screening'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    403: problem(
      'ADMISSION_REQUIRED',
      'The screening has a waiting room and `Admission-Token` is missing, expired, or not for this member and screening',
    ),
    404: problem('NOT_FOUND', 'No such screening'),
    409: problem(
      ['SEAT_NOT_AVAILABLE', 'HOLD_LIMIT_EXCEEDED', 'SALES_NOT_OPEN', 'SALES_CLOSED'],
      'A seat is taken (`unavailableSeatIds` names them), the caller would hold more than 8, or sales are not open',
    ),
    429: problem(
      'RATE_LIMITED',
      'Too many holds by this member (HOLDS_PER_USER_PER_MINUTE) or requests from this address',
    ),
  },
});

const releaseRoute = createRoute({
  method: 'delete',
  path: '/api/screenings/{id}/holds/{holdToken}',
  tags: ['Holds'],
  operationId: 'releaseHold',
  summary: 'Give a hold back; its seats are AVAILABLE again',
  description:
    "The hold's seats become AVAILABLE at once and the live map says so. Only its owner can; anybody else gets 404. Once payment has started the hold cannot be given back.",
  'x-auth': 'owner',
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: HoldParams },
  responses: {
    204: { description: 'Released' },
    400: problem('VALIDATION_FAILED', 'The screening id is not a UUID'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    404: problem(['HOLD_NOT_FOUND', 'NOT_FOUND'], "No such hold of the caller's, or no such screening"),
    409: problem('PAYMENT_IN_PROGRESS', 'Payment for this hold has started'),
  },
});

const myHoldsRoute = createRoute({
  method: 'get',
  path: '/api/me/holds',
  tags: ['Holds'],
  operationId: 'listMyHolds',
  summary: "The caller's live holds",
  description:
    "Every hold of the caller's that has not expired, in every screening, soonest to expire first. A hold shows here within 1 s of its 201 (the index of whom to ask is written behind the hold).",
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser] as const,
  responses: {
    200: json(HoldList, 'Live holds'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  },
});

export const seatRoutes = createRouter()
  .openapi(seatMapRoute, async (c) => {
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return c.json(unwrap(await c.get('runtime').seats.snapshot(id)), 200);
  })
  .openapi(liveRoute, async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('VALIDATION_FAILED', 'this endpoint speaks WebSocket: send an Upgrade request');
    }
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return (await c.get('runtime').liveSeatMap(c, id)) as never;
  })
  .openapi(holdRoute, async (c) => {
    const member = c.get('member');
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    const { JWT_SECRET } = c.get('settings');
    await requireAdmission(
      c.get('db'),
      JWT_SECRET ?? '',
      id,
      member.id,
      c.req.valid('header')['admission-token'],
    );
    const hold = unwrap(await c.get('runtime').seats.hold(id, member.id, c.req.valid('json').seatIds));
    return c.json(hold, 201);
  })
  .openapi(releaseRoute, async (c) => {
    const { holdToken } = c.req.valid('param');
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    unwrap(await c.get('runtime').seats.release(id, c.get('member').id, holdToken));
    return c.body(null, 204);
  })
  .openapi(myHoldsRoute, async (c) => {
    const member = c.get('member');
    const { HOLD_TTL_SECONDS, PAYMENT_TIMEOUT_SECONDS } = c.get('settings');
    // A hold lives at most its TTL, then its payment deadline; a margin covers settling.
    const since = new Date(Date.now() - (HOLD_TTL_SECONDS + PAYMENT_TIMEOUT_SECONDS + 300) * 1000);
    const screeningIds = await screeningsHeldSince(c.get('db')(), member.id, since);
    const seats = c.get('runtime').seats;
    const holds = await Promise.all(screeningIds.map((id) => seats.holdsOf(id, member.id)));
    const items = holds.flat().sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
    return c.json({ items }, 200);
  });
