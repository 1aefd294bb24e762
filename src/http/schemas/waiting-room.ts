// Schemas of the waiting room (API.md, Waiting room): a screening's room settings, a queue ticket,
// the admin's counts. `WaitingRoomField` is what screening create and PATCH accept.
import { z } from '@hono/zod-openapi';
import { ADMIT_PER_MINUTE, OPENS_BEFORE_MINUTES } from '../../domain/queue/index.ts';
import { ScreeningParams, Uuid } from './seats.ts';

const roomExample = { admitPerMinute: 600, opensBeforeMinutes: 30 };

export const WaitingRoomSchema = z
  .object({
    admitPerMinute: z.number().int().min(ADMIT_PER_MINUTE.min).max(ADMIT_PER_MINUTE.max),
    opensBeforeMinutes: z
      .number()
      .int()
      .min(OPENS_BEFORE_MINUTES.min)
      .max(OPENS_BEFORE_MINUTES.max)
      .default(OPENS_BEFORE_MINUTES.default),
  })
  .strict()
  .openapi('WaitingRoom', {
    description:
      'A fair queue for the sale: everyone who joins before `salesOpenAt` is drawn in one random order at `salesOpenAt`, later arrivals queue behind in arrival order, and about `admitPerMinute` are admitted a minute, spread evenly. The queue opens `opensBeforeMinutes` before `salesOpenAt`.',
    example: roomExample,
  });

/** In a screening: the room, or null for none (the default). */
export const WaitingRoomField = WaitingRoomSchema.nullable().openapi({ example: roomExample });

export const TicketParams = ScreeningParams.extend({
  ticketId: Uuid.openapi({
    param: { name: 'ticketId', in: 'path' },
    example: '2f9c7d1e-8a4b-4c3d-9e2f-1a0b9c8d7e6f',
  }),
});

const TICKET = '2f9c7d1e-8a4b-4c3d-9e2f-1a0b9c8d7e6f';
export const QueueTicketSchema = z
  .object({
    ticketId: z.string(),
    status: z.enum(['WAITING', 'ADMITTED', 'EXPIRED']).openapi({
      description:
        'WAITING in the queue; ADMITTED (hold seats with `admissionToken`); EXPIRED: the admission has ended',
    }),
    position: z.number().int().nullable().optional().openapi({
      description:
        'WAITING: 1 is next. null before the draw at `salesOpenAt` (everyone in the room is drawn together)',
    }),
    estimatedWaitSeconds: z.number().int().optional(),
    pollAfterSeconds: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'WAITING: ask again after this many seconds, not sooner' }),
    admissionToken: z.string().optional().openapi({
      description: 'ADMITTED: send as header `Admission-Token` with `POST /api/screenings/{id}/holds`',
    }),
    admittedUntil: z.string().optional().openapi({ format: 'date-time' }),
  })
  .openapi('QueueTicket', {
    example: {
      ticketId: TICKET,
      status: 'WAITING',
      position: 412,
      estimatedWaitSeconds: 42,
      pollAfterSeconds: 11,
    },
  });

export const admittedExample = {
  ticketId: TICKET,
  status: 'ADMITTED',
  admissionToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY3IiOiIwYjdjNGM4ZSJ9.c2lnbmF0dXJl',
  admittedUntil: '2025-06-01T09:15:00.000Z',
};

export const QueueCountsSchema = z
  .object({
    waiting: z.number().int(),
    admitted: z.number().int(),
    admitPerMinute: z.number().int(),
  })
  .openapi('QueueCounts', { example: { waiting: 8412, admitted: 1588, admitPerMinute: 600 } });
