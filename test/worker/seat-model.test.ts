// The seat model (fc.commands) against the Durable Object actor, in workerd with real Postgres.
import { env } from 'cloudflare:test';
import { DurableObjectSeatCoordinator } from '../../src/adapters/durable-object/coordinator.ts';
import { seatModelSuite } from '../contract/seat-model.ts';
import { createScreening } from './fixtures.ts';

seatModelSuite(
  'Durable Object actor',
  {
    coordinator: () => new DurableObjectSeatCoordinator(env.SCREENING_ACTOR),
    createScreening: (options) => createScreening(options),
  },
  { numRuns: 40, maxCommands: 40 },
);
