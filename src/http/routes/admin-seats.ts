// Admin seat states (API.md, Admin): block/unblock a screening's seats, disable/enable a seat in
// every screening that has not started.
import { createRoute, z } from '@hono/zod-openapi';
import { requireScreening } from '../../services/screening-lookup.ts';
import { blockSeats, disableSeat, enableSeat, unblockSeats } from '../../services/seat-admin-service.ts';
import { bearer, requireAdmin } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import { body, json, problem } from '../schemas/common.ts';
import { ScreeningParams, SeatStatus, Uuid } from '../schemas/seats.ts';

const Reason = z.string().trim().min(1).max(200);
const BlockRequest = z
  .object({
    seatIds: z
      .array(Uuid)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'seat ids must be distinct'),
    reason: Reason,
  })
  .strict()
  .openapi('BlockSeatsRequest', {
    example: { seatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'], reason: 'press seats' },
  });
const UnblockRequest = BlockRequest.partial({ reason: true }).openapi('UnblockSeatsRequest', {
  example: { seatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'] },
});
const ReasonRequest = z
  .object({ reason: Reason })
  .strict()
  .openapi('SeatReasonRequest', { example: { reason: 'broken armrest' } });
const EnableRequest = ReasonRequest.partial().openapi('EnableSeatRequest', {
  example: { reason: 'repaired' },
});
const SeatParams = z.object({ seatId: Uuid.openapi({ param: { name: 'seatId', in: 'path' } }) });
const SeatStateChange = z
  .object({ seatIds: z.array(z.string()), status: SeatStatus })
  .openapi('SeatStateChange', {
    example: { seatIds: ['3f0e4d2a-7c1b-4e5f-8a9b-0c1d2e3f4a5b'], status: 'BLOCKED' },
  });

const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const guarded = {
  400: problem('VALIDATION_FAILED', 'Bad input, or a seat that is not a seat of this screening'),
  401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  403: problem('FORBIDDEN', 'The caller is not an admin'),
};
const onScreening = { ...guarded, 404: problem('NOT_FOUND', 'No such screening') };
const onSeat = {
  ...guarded,
  404: problem('NOT_FOUND', 'No such seat'),
  409: problem(
    'SEAT_NOT_AVAILABLE',
    'The seat is held, sold or blocked in a screening that has not started (`screeningIds` names them); nothing changed',
  ),
};

const block = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings/{id}/seats/block',
  operationId: 'blockSeats',
  summary: 'Block AVAILABLE seats of a screening',
  description:
    'All or nothing: every seat must be AVAILABLE (or BLOCKED already), then all become BLOCKED (off sale in this screening) and the live map says so. 1 to 100 distinct seats, with a reason.',
  request: { params: ScreeningParams, body: body(BlockRequest) },
  responses: {
    200: json(SeatStateChange, 'Blocked'),
    ...onScreening,
    409: problem(
      'SEAT_NOT_AVAILABLE',
      'A seat is held, being paid for, sold or disabled (`unavailableSeatIds` names them); nothing changed',
    ),
  },
});
const unblock = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings/{id}/seats/unblock',
  operationId: 'unblockSeats',
  summary: 'Put blocked seats back on sale',
  description: 'BLOCKED seats of this screening become AVAILABLE again. The reason is optional.',
  request: { params: ScreeningParams, body: body(UnblockRequest) },
  responses: {
    200: json(SeatStateChange, 'Unblocked'),
    ...onScreening,
    409: problem(
      'INVALID_TRANSITION',
      'A seat is neither blocked nor available (held or sold); nothing changed',
    ),
  },
});
const disable = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/seats/{seatId}/disable',
  operationId: 'disableSeat',
  summary: 'Take a seat out of every screening that has not started (physical fault)',
  description:
    'The seat becomes DISABLED in every screening that has not started, and in screenings scheduled later, until it is enabled. If it is held, sold or blocked in any of them, nothing changes.',
  request: { params: SeatParams, body: body(ReasonRequest) },
  responses: { 200: json(SeatStateChange, 'Disabled'), ...onSeat },
});
const enable = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/seats/{seatId}/enable',
  operationId: 'enableSeat',
  summary: 'Put a repaired seat back in every screening that has not started',
  description: 'The seat is AVAILABLE again wherever it was DISABLED in a screening that has not started.',
  request: { params: SeatParams, body: body(EnableRequest) },
  responses: {
    200: json(SeatStateChange, 'Enabled'),
    ...guarded,
    404: problem('NOT_FOUND', 'No such seat'),
  },
});

export const adminSeatRoutes = createRouter()
  .openapi(block, async (c) => {
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    const { seatIds, reason } = c.req.valid('json');
    return c.json(await blockSeats(c.get('db')(), c.get('runtime').seats, id, seatIds, reason), 200);
  })
  .openapi(unblock, async (c) => {
    const id = await requireScreening(c.get('db'), c.req.valid('param').id);
    return c.json(
      await unblockSeats(c.get('db')(), c.get('runtime').seats, id, c.req.valid('json').seatIds),
      200,
    );
  })
  .openapi(disable, async (c) => {
    const { seatId } = c.req.valid('param');
    return c.json(
      await disableSeat(c.get('db')(), c.get('runtime').seats, seatId, c.req.valid('json').reason),
      200,
    );
  })
  .openapi(enable, async (c) => {
    const { seatId } = c.req.valid('param');
    return c.json(await enableSeat(c.get('db')(), c.get('runtime').seats, seatId), 200);
  });
