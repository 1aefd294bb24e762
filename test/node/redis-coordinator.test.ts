// The coordinator contract against the Redis adapter, on the real Redis and the run's Postgres: one
// instance, then two instances sharing the Redis with their calls interleaved (two processes). And
// the proof that the reducer is the adapter's only source of seat rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../src/adapters/redis/redis-client.ts';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import { SCRIPT_SOURCES } from '../../src/adapters/redis/screening-store.ts';
import {
  HOLD_RULES,
  type Reducer,
  reducerWith,
  SEAT_EVENTS,
  SEAT_STATES,
} from '../../src/domain/seats/index.ts';
import type { SeatBatch } from '../../src/ports/seat-coordinator.ts';
import { seatCoordinatorContract } from '../contract/seat-coordinator.contract.ts';
import { testDatabase } from '../support/db.ts';
import { settleWith } from '../support/due-work.ts';
import { interleaved } from '../support/interleaved.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const url = redisUrl(10);
const database = testDatabase(4);
const HOLD_TTL_SECONDS = 300;
const HOLD_COOLDOWN_SECONDS = 120;
const started: RedisSeatCoordinator[] = [];

async function startCoordinator(reduce?: Reducer): Promise<RedisSeatCoordinator> {
  const coordinator = new RedisSeatCoordinator({
    url,
    db: () => database.db,
    settleDueWork: settleWith(() => database.db),
    settings: {
      HOLD_TTL_SECONDS,
      PAYMENT_TIMEOUT_SECONDS: 60,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 1_000,
      HOLD_COOLDOWN_SECONDS,
    },
    ...(reduce ? { reduce } : {}),
  });
  await coordinator.start();
  started.push(coordinator);
  return coordinator;
}

let coordinator: RedisSeatCoordinator;
let second: RedisSeatCoordinator;

beforeAll(async () => {
  await flushRedis(url);
  coordinator = await startCoordinator();
  second = await startCoordinator();
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.close()));
  await database.close();
});

seatCoordinatorContract('Redis', {
  coordinator: () => coordinator,
  createScreening: (options) => insertScreening(database.db, options),
  holdTtlSeconds: HOLD_TTL_SECONDS,
  cooldownSeconds: HOLD_COOLDOWN_SECONDS,
  versionPerChange: false, // a group commit is one version
});

seatCoordinatorContract('Redis, two processes interleaved', {
  coordinator: () => interleaved(coordinator, second),
  createScreening: (options) => insertScreening(database.db, options),
  holdTtlSeconds: HOLD_TTL_SECONDS,
  cooldownSeconds: HOLD_COOLDOWN_SECONDS,
  versionPerChange: false, // a group commit is one version
});

describe('the reducer is the Redis adapter’s only source of seat rules', () => {
  it('follows a reducer with another hold limit, on the same screening in the same Redis', async () => {
    const strict = await startCoordinator(reducerWith({ ...HOLD_RULES, maxHeldSeatsPerMember: 2 }));
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 8 });
    const member = crypto.randomUUID();
    const refused = await strict.hold(screeningId, member, seatIds.slice(0, 3));
    expect(refused).toEqual({
      ok: false,
      error: { code: 'HOLD_LIMIT_EXCEEDED', limit: 2, heldSeats: 0, requestedSeats: 3 },
    });
    expect((await coordinator.hold(screeningId, member, seatIds.slice(0, 3))).ok).toBe(true);
    // The other rules still come from the reducer too: a taken seat stays taken for both.
    expect(await strict.hold(screeningId, crypto.randomUUID(), [seatIds[0]!])).toMatchObject({
      ok: false,
      error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[0]] },
    });
  });

  it('keeps its scripts to storage: no seat state, event or decoded value in them', () => {
    const words = [...SEAT_STATES, ...SEAT_EVENTS];
    for (const source of SCRIPT_SOURCES) {
      for (const word of words) expect(source).not.toMatch(new RegExp(`\\b${word}\\b`));
      expect(source).not.toMatch(/cjson|expiresAt|memberId|holdToken/);
    }
  });
});

describe('Redis coordinator, beyond the contract', () => {
  it('loads its script again when Redis has forgotten it (NOSCRIPT after a restart or flush)', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    expect((await coordinator.hold(screeningId, crypto.randomUUID(), [seatIds[0]!])).ok).toBe(true);
    await command(coordinator.client(), ['SCRIPT', 'FLUSH']);
    expect((await coordinator.hold(screeningId, crypto.randomUUID(), [seatIds[1]!])).ok).toBe(true);
  });

  it('publishes a group commit as one version with every change of the group', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 24 });
    const start = await coordinator.snapshot(screeningId);
    if (!start.ok) throw new Error('no seat map');
    const batches: SeatBatch[] = [];
    const unsubscribe = await coordinator.subscribe(screeningId, {
      batch: (batch) => batches.push(batch),
      resync: () => {},
    });
    try {
      // Sent together: the first commits alone, the rest queue behind it and commit as groups.
      const holds = await Promise.all(
        seatIds.map((seatId) => coordinator.hold(screeningId, crypto.randomUUID(), [seatId])),
      );
      expect(holds.every((hold) => hold.ok)).toBe(true);
      const end = await coordinator.snapshot(screeningId);
      if (!end.ok) throw new Error('no seat map');
      await expect.poll(() => batches.at(-1)?.version).toBe(end.value.version);
      expect(batches.map((batch) => batch.version)).toEqual(
        Array.from({ length: batches.length }, (_, k) => start.value.version + k + 1),
      );
      expect(batches.length).toBeLessThan(seatIds.length);
      expect(
        batches
          .flatMap((batch) => batch.changes)
          .map((change) => change.seatId)
          .sort(),
      ).toEqual([...seatIds].sort());
      expect(end.value.seats.every((seat) => seat.status === 'HOLD')).toBe(true);
    } finally {
      await unsubscribe();
    }
  });

  it('serves one seat map per version: the same until a change here or in another process', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    const read = async (from: RedisSeatCoordinator) => {
      const map = await from.snapshot(screeningId);
      if (!map.ok) throw new Error('no seat map');
      return map.value;
    };
    const first = await read(coordinator);
    expect(await read(coordinator)).toBe(first);
    expect((await coordinator.hold(screeningId, crypto.randomUUID(), [seatIds[0]!])).ok).toBe(true);
    const held = await read(coordinator);
    expect(held).not.toBe(first);
    expect([held.version, held.seats[0]?.status]).toEqual([first.version + 1, 'HOLD']);
    expect(await read(coordinator)).toBe(held);
    // The other process's change reaches this one's map, with its version.
    expect((await second.block(screeningId, [seatIds[1]!])).ok).toBe(true);
    const blocked = await read(coordinator);
    expect([blocked.version, blocked.seats.map((seat) => seat.status)]).toEqual([
      held.version + 1,
      ['HOLD', 'BLOCKED', 'AVAILABLE', 'AVAILABLE'],
    ]);
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
