// The seat model (fc.commands) and the fc.scheduler races against the Redis coordinator, on the real
// Redis and the run's Postgres: the same suites the actor runs, with the batches read off the feed;
// then again with two instances sharing the Redis (two processes), their calls interleaved.
import { afterAll, beforeAll, expect } from 'vitest';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import type { SeatBatch } from '../../src/ports/seat-coordinator.ts';
import { type InterleavingHarness, seatInterleavingSuite } from '../contract/seat-interleavings.ts';
import { seatModelSuite } from '../contract/seat-model.ts';
import { testDatabase } from '../support/db.ts';
import { settleWith } from '../support/due-work.ts';
import { interleaved } from '../support/interleaved.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const url = redisUrl(10);
const database = testDatabase(4);
const newCoordinator = () =>
  new RedisSeatCoordinator({
    url,
    db: () => database.db,
    settleDueWork: settleWith(() => database.db),
    settings: {
      HOLD_TTL_SECONDS: 300,
      PAYMENT_TIMEOUT_SECONDS: 60,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 1_000,
      HOLD_COOLDOWN_SECONDS: 120, // as the Worker's default: the model expects it
    },
  });
const coordinator = newCoordinator();
const second = newCoordinator();
const both = interleaved(coordinator, second);

beforeAll(async () => {
  await flushRedis(url);
  await Promise.all([coordinator.start(), second.start()]);
});

afterAll(async () => {
  await Promise.all([coordinator.close(), second.close()]);
  await database.close();
});

for (const [name, seats] of [
  ['Redis', coordinator],
  ['Redis, two processes interleaved', both],
] as const) {
  seatModelSuite(
    name,
    {
      coordinator: () => seats,
      createScreening: (options) => insertScreening(database.db, options),
    },
    { numRuns: 40, maxCommands: 40 },
  );
  seatInterleavingSuite(name, redisHarness(seats), { numRuns: 20 });
}

function redisHarness(seats: RedisSeatCoordinator): InterleavingHarness {
  return {
    async start(count) {
      const { screeningId, seatIds } = await insertScreening(database.db, { seats: count });
      const batches: SeatBatch[] = [];
      const unsubscribe = await coordinator.subscribe(screeningId, {
        batch: (batch) => batches.push(batch),
        resync: () => {},
      });
      return {
        seats,
        screeningId,
        seatIds,
        versions: () => batches.map((batch) => batch.version),
        settle: async (version) => {
          const last = () => batches.at(-1)?.version ?? -1;
          await expect.poll(last, { timeout: 5_000 }).toBeGreaterThanOrEqual(version);
        },
        versionPerChange: false, // a group commit is one version
        stop: () => void unsubscribe(),
      };
    },
  };
}
