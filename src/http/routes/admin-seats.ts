// Admin seat states (API.md, Admin): block/unblock a screening's seats, disable/enable a seat in
// every screening that has not started.
import { createRoute, z } from '@hono/zod-openapi';
import { requireScreening } from '../../services/screening-lookup.ts';
import { blockSeats, disableSeat, enableSeat, unblockSeats } from '../../services/seat-admin-service.ts';
import { bearer, requireAdmin } from '../middleware/auth.ts';
import { createRouter } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';
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
  .openapi('BlockSeatsRequest');
const UnblockRequest = BlockRequest.partial({ reason: true }).openapi('UnblockSeatsRequest');
const ReasonRequest = z.object({ reason: Reason }).strict().openapi('SeatReasonRequest');
const EnableRequest = ReasonRequest.partial().openapi('EnableSeatRequest');
const SeatParams = z.object({ seatId: Uuid.openapi({ param: { name: 'seatId', in: 'path' } }) });
const SeatStateChange = z
  .object({ seatIds: z.array(z.string()), status: SeatStatus })
  .openapi('SeatStateChange');

const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const common = {
  tags: ['Admin'],
  'x-auth': 'admin',
  security: bearer,
  middleware: requireAdmin,
};
const errors = {
  400: problem('VALIDATION_FAILED'),
  401: problem('UNAUTHORIZED'),
  403: problem('FORBIDDEN'),
  404: problem('NOT_FOUND'),
  409: problem('SEAT_NOT_AVAILABLE'),
};

const block = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings/{id}/seats/block',
  summary: 'Block AVAILABLE seats of a screening',
  request: { params: ScreeningParams, body: body(BlockRequest) },
  responses: { 200: json(SeatStateChange, 'Blocked'), ...errors },
});
const unblock = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/screenings/{id}/seats/unblock',
  summary: 'Put blocked seats back on sale',
  request: { params: ScreeningParams, body: body(UnblockRequest) },
  responses: { 200: json(SeatStateChange, 'Unblocked'), ...errors },
});
const disable = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/seats/{seatId}/disable',
  summary: 'Take a seat out of every screening that has not started (physical fault)',
  request: { params: SeatParams, body: body(ReasonRequest) },
  responses: { 200: json(SeatStateChange, 'Disabled'), ...errors },
});
const enable = createRoute({
  ...common,
  method: 'post',
  path: '/api/admin/seats/{seatId}/enable',
  summary: 'Put a repaired seat back in every screening that has not started',
  request: { params: SeatParams, body: body(EnableRequest) },
  responses: { 200: json(SeatStateChange, 'Enabled'), ...errors },
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
