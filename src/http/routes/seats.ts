// The seat map, the live socket, holds and the caller's holds. Each screening id is confirmed in
// Postgres before its coordinator is asked anything, and the coordinator is named by the id
// Postgres answers with (one spelling per screening).
import { createRoute } from '@hono/zod-openapi';
import { screeningsHeldSince } from '../../adapters/db/seat-repository.ts';
import { AppError } from '../../domain/errors.ts';
import { MAX_SEATS_PER_HOLD } from '../../domain/seats/index.ts';
import { holdEnded, holdHorizon, holdSeats } from '../../services/hold-service.ts';
import { requireScreening } from '../../services/screening-lookup.ts';
import { unwrap } from '../../services/seat-results.ts';
import { requireAdmission } from '../../services/waiting-room-service.ts';
import { jsonOnce } from '../json-once.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { LIMITS, limitPerMember, spendPerIpOnSuccess } from '../middleware/rate-limit.ts';
import { createRouter, validatedAtOnce } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';
import {
  AdmissionHeader,
  EXAMPLE_SEATS,
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
    'Every seat with its row, number, type, price and status (AVAILABLE, HOLD, PAYMENT_PENDING, RESERVED, RESERVATION_CANCELLED, BLOCKED, DISABLED), and the map `version`: the live socket numbers its batches from it. On Workers the map may be up to 250 ms old: each isolate serves a map it read again for that long, unless it made a change to that screening since. The live socket has every change as it happens.',
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
  summary:
    'Live seat map (WebSocket): a snapshot, then one versioned batch of committed changes after another',
  description:
    'Open with a WebSocket upgrade (`ws://` or `wss://`, no token needed). First message `{"type":"snapshot","version":N,"seats":[{"seatId","status"}]}`, then one `{"type":"seats","version":N+1,"changes":[{"seatId","status"}],"committedAt":<epoch ms>}` per batch of committed changes (hold, release, expiry, payment start and end, cancellation, block, disable). A batch may hold several changes, in the order they were committed (a seat may appear twice: apply them in order); on Workers a change after a quiet spell comes at once and those committed in the next 25 ms come together; on Node and Deno those committed in one write to Redis do. `committedAt` is when the first change of the batch was committed. The version of a seat map or snapshot covers every change it shows. Versions grow by exactly 1: a client that sees a gap re-reads the snapshot (or `GET /api/screenings/{id}/seats`). `{"type":"ping"}` gets `{"type":"pong"}`; nothing else a client sends is read, and a message over 256 bytes closes the socket (1009). One client address may keep LIVE_SOCKETS_PER_IP_PER_SCREENING sockets (default 32) open on a screening; more get 429.',
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

const SCORE = [
  'Best available (`{best}`) scores every block of `count` adjacent seats in a row (lower is better), for R rows with row 0 nearest the screen:',
  '`row = |r − t| / max(1, R − 1)` with `t = (R − 1) · 2/3` (about two thirds back);',
  "`centre = |c − m| / max(1, (last − first) / 2)`, c the block's mean seat number and m the middle of the row;",
  '`types = 0.25 · (distinct seat types in the block − 1)`; `score = 2 · row + centre + types`.',
  'A block that leaves no new single-seat gap beats one that does (under PREVENT those are out), then the lowest score, then the front-most row, then the lowest seat number.',
  'With `together: false`, if no block fits, the best-scoring seats one by one; with `wheelchair: k`, a block holding exactly k WHEELCHAIR seats, else the best run of k WHEELCHAIR seats and the nearest other seats (same row first).',
  'The choice is one pass over the rows: its cost grows with the seats, not with the combinations.',
].join(' ');

const holdRoute = createRoute({
  method: 'post',
  path: '/api/screenings/{id}/holds',
  tags: ['Holds'],
  operationId: 'holdSeats',
  summary: `Hold 1–${MAX_SEATS_PER_HOLD} seats, all or nothing, named or best available`,
  description: `Send \`{seatIds}\` to hold those seats, or \`{best:{count, types?, wheelchair?, together?}}\` to let the coordinator choose and hold the best ones in the same step (exactly one of the two). Either every seat becomes HOLD for the caller, or nothing changes. The hold lives HOLD_TTL_SECONDS (default 300; extend it with \`POST …/holds/{holdToken}/extend\`); pay for it with \`POST /api/payments\` or give it back. A member holds at most ${MAX_SEATS_PER_HOLD} seats of a screening at a time, in at most HELD_SCREENINGS_PER_MEMBER screenings (default 2), only inside the sales window (from \`salesOpenAt\` to the start), and not the seats it gave back or let expire in the last HOLD_COOLDOWN_SECONDS (default 120). One client address holds at most HOLD_SEATS_PER_IP_PER_HOUR seats an hour (default 100). With \`singleSeatGaps: PREVENT\` a hold that would leave one seat alone in its row is refused. ${SCORE}`,
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser, limitPerMember(LIMITS.holds)] as const,
  request: {
    params: ScreeningParams,
    headers: AdmissionHeader,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: HoldRequest,
          examples: {
            seatIds: { summary: 'Hold these seats', value: { seatIds: EXAMPLE_SEATS } },
            best: {
              summary: 'The best 4 seats together, standard or premium',
              value: { best: { count: 4, types: ['STANDARD', 'PREMIUM'] } },
            },
            wheelchair: {
              summary: 'One wheelchair space and a companion seat',
              value: { best: { count: 2, wheelchair: 1 } },
            },
          },
        },
      },
    },
  },
  responses: {
    201: json(HoldSchema, 'Held'),
    400: problem(
      'VALIDATION_FAILED',
      'Not 1 to 8 distinct seat UUIDs nor a valid `best`, both or neither, or a seat of another screening',
    ),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    403: problem(
      'ADMISSION_REQUIRED',
      'The screening has a waiting room and `Admission-Token` is missing, expired, or not for this member and screening',
    ),
    404: problem('NOT_FOUND', 'No such screening'),
    409: problem(
      [
        'SEAT_NOT_AVAILABLE',
        'HOLD_LIMIT_EXCEEDED',
        'SALES_NOT_OPEN',
        'SALES_CLOSED',
        'NOT_ENOUGH_SEATS',
        'SINGLE_SEAT_GAP',
        'HOLD_COOLDOWN',
        'SCREENING_LIMIT_EXCEEDED',
      ],
      'A seat is taken (`unavailableSeatIds`), the caller would hold more than 8 or in too many screenings, sales are not open, nothing fits the `best` request, the hold would leave a single-seat gap (`gapSeatIds`), or the caller gave these seats back moments ago (`retryAfter`)',
    ),
    429: problem(
      'RATE_LIMITED',
      'Too many holds by this member (HOLDS_PER_USER_PER_MINUTE), seats held from this address (HOLD_SEATS_PER_IP_PER_HOUR) or requests from it',
    ),
  },
});

const extendRoute = createRoute({
  method: 'post',
  path: '/api/screenings/{id}/holds/{holdToken}/extend',
  tags: ['Holds'],
  operationId: 'extendHold',
  summary: 'More time for a hold, up to HOLD_MAX_SECONDS after it was made',
  description:
    "The hold's `expiresAt` becomes min(now + HOLD_TTL_SECONDS, its creation + HOLD_MAX_SECONDS) (defaults 300 and 900); its seats stay HOLD and the live map shows no change. Only the owner can; anybody else gets 404.",
  'x-auth': 'owner',
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: HoldParams },
  responses: {
    200: json(HoldSchema, 'Extended: the hold with its new expiresAt'),
    400: problem('VALIDATION_FAILED', 'The screening id is not a UUID'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
    404: problem(['HOLD_NOT_FOUND', 'NOT_FOUND'], "No such hold of the caller's, or no such screening"),
    409: problem(
      ['HOLD_EXTENSION_LIMIT', 'HOLD_EXPIRED', 'PAYMENT_IN_PROGRESS'],
      'Already at its cap (`expiresAt`), expired, or payment has started',
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
  .openapi(validatedAtOnce(seatMapRoute), async (c) => {
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return jsonOnce(c, unwrap(await c.get('runtime').seats.snapshot(id)), 200);
  })
  .openapi(validatedAtOnce(liveRoute), async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('VALIDATION_FAILED', 'this endpoint speaks WebSocket: send an Upgrade request');
    }
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return (await c.get('runtime').liveSeatMap(c, id)) as never;
  })
  .openapi(validatedAtOnce(holdRoute), async (c) => {
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
    const { seatIds, best } = c.req.valid('json');
    const wish = best ? { best } : { seatIds: seatIds ?? [] };
    const runtime = c.get('runtime');
    const deps = { seats: runtime.seats, settings: c.get('settings') };
    const count = best ? best.count : (seatIds ?? []).length;
    const hold = await spendPerIpOnSuccess(c, LIMITS.holdSeats, count, () =>
      holdSeats(deps, id, member.id, wish),
    );
    return c.json(hold, 201);
  })
  .openapi(validatedAtOnce(extendRoute), async (c) => {
    const { holdToken } = c.req.valid('param');
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return c.json(unwrap(await c.get('runtime').seats.extend(id, c.get('member').id, holdToken)), 200);
  })
  .openapi(validatedAtOnce(releaseRoute), async (c) => {
    const { holdToken } = c.req.valid('param');
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    unwrap(await c.get('runtime').seats.release(id, c.get('member').id, holdToken));
    holdEnded(c.get('member').id, holdToken);
    return c.body(null, 204);
  })
  .openapi(myHoldsRoute, async (c) => {
    const member = c.get('member');
    // A hold lives at most HOLD_MAX_SECONDS, then its payment deadline; a margin covers settling.
    const screeningIds = await screeningsHeldSince(c.get('db')(), member.id, holdHorizon(c.get('settings')));
    const seats = c.get('runtime').seats;
    const holds = await Promise.all(screeningIds.map((id) => seats.holdsOf(id, member.id)));
    const items = holds.flat().sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
    return c.json({ items }, 200);
  });
