// The coordinator contract against the Redis scripts, on the real Redis and the run's Postgres.
import { afterAll, beforeAll } from 'vitest';
import { MockPaymentGateway } from '../../src/adapters/payment/mock-gateway.ts';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import { seatCoordinatorContract } from '../contract/seat-coordinator.contract.ts';
import { testDatabase } from '../support/db.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const url = redisUrl(10);
const database = testDatabase(4);
const HOLD_TTL_SECONDS = 300;
let coordinator: RedisSeatCoordinator;

beforeAll(async () => {
  await flushRedis(url);
  coordinator = new RedisSeatCoordinator({
    url,
    db: () => database.db,
    gateway: () => new MockPaymentGateway(() => database.db),
    settings: {
      HOLD_TTL_SECONDS,
      PAYMENT_TIMEOUT_SECONDS: 60,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 1_000,
    },
  });
  await coordinator.start();
});

afterAll(async () => {
  await coordinator.close();
  await database.close();
});

seatCoordinatorContract('Redis scripts', {
  coordinator: () => coordinator,
  createScreening: (options) => insertScreening(database.db, options),
  holdTtlSeconds: HOLD_TTL_SECONDS,
});
