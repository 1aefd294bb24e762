// The coordinator contract against the Durable Object actor.
import { env } from 'cloudflare:test';
import { DurableObjectSeatCoordinator } from '../../src/adapters/durable-object/coordinator.ts';
import { seatCoordinatorContract } from '../contract/seat-coordinator.contract.ts';
import { createScreening } from './fixtures.ts';

seatCoordinatorContract('Durable Object actor', {
  coordinator: () => new DurableObjectSeatCoordinator(env.SCREENING_ACTOR),
  createScreening,
  holdTtlSeconds: Number(env.HOLD_TTL_SECONDS),
  cooldownSeconds: 120, // the setting's default: the worker project leaves it alone
  versionPerChange: false, // the live ticks
});
