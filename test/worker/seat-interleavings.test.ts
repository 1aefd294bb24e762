// Concurrent holds and payment starts against the Durable Object actor, issued in the orders
// fc.scheduler picks; the committed batches are read off a live seat-map socket.
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { DurableObjectSeatCoordinator } from '../../src/adapters/durable-object/coordinator.ts';
import { type InterleavingHarness, seatInterleavingSuite } from '../contract/seat-interleavings.ts';
import { createScreening, watch } from './fixtures.ts';

const actorHarness: InterleavingHarness = {
  async start(count) {
    const { screeningId, seatIds } = await createScreening({ seats: count });
    const live = await watch(screeningId);
    await expect.poll(() => live.messages.length).toBe(1); // the snapshot
    const batches = () => live.messages.filter((message) => message.type === 'seats');
    return {
      seats: new DurableObjectSeatCoordinator(env.SCREENING_ACTOR),
      screeningId,
      seatIds,
      versions: () => batches().map((batch) => batch.version),
      settle: async (version) => {
        const last = () => batches().at(-1)?.version ?? -1;
        await expect.poll(last, { timeout: 5_000 }).toBeGreaterThanOrEqual(version);
      },
      versionPerChange: false, // the actor sends the changes of a tick together
      stop: () => live.close(),
    };
  },
};

seatInterleavingSuite('screening actor', actorHarness, { numRuns: 20 });
