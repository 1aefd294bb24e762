// The coordinator contract against the Redis scripts, on the real Redis and the run's Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockPaymentGateway } from '../../src/adapters/payment/mock-gateway.ts';
import { command } from '../../src/adapters/redis/redis-client.ts';
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

describe('Redis coordinator, beyond the contract', () => {
  it('loads its script again when Redis has forgotten it (NOSCRIPT after a restart or flush)', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    expect((await coordinator.hold(screeningId, crypto.randomUUID(), [seatIds[0]!])).ok).toBe(true);
    await command(coordinator.client(), ['SCRIPT', 'FLUSH']);
    expect((await coordinator.hold(screeningId, crypto.randomUUID(), [seatIds[1]!])).ok).toBe(true);
  });

  it('rebuilds a screening whose keys are gone from Postgres, on first use', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    expect((await coordinator.block(screeningId, [seatIds[0]!])).ok).toBe(true);
    await database.pool.query(
      `insert into screening_seat_states (screening_id, seat_id, status, reason) values ($1, $2, 'BLOCKED', 'test')`,
      [screeningId, seatIds[0]],
    );
    const keys = await command<string[]>(coordinator.client(), ['KEYS', `{scr:${screeningId}}:*`]);
    await command(coordinator.client(), ['DEL', ...keys]);
    const map = await coordinator.snapshot(screeningId);
    expect(map.ok && map.value.seats.map((seat) => seat.status)).toEqual([
      'BLOCKED',
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
    ]);
  });
});
