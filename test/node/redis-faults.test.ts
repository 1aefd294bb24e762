// Redis failing under the fallback runtime, for real: a redis-server of this test's own is killed
// mid-sale and started again empty. Writes must fail fast and change nothing, reads must still
// answer, and after the restart the seats must be rebuilt from Postgres before any write is taken,
// with the payment that was in flight kept and settled, and no seat sold twice.
import { serveStatic } from '@hono/node-server/serve-static';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { pricedSeatsOf } from '../../src/adapters/db/payment-repository.ts';
import {
  commitPayments,
  FenceRejected,
  type NewReservation,
} from '../../src/adapters/db/reservation-repository.ts';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import { type Standalone, startStandalone } from '../../src/entries/standalone.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { testDatabase } from '../support/db.ts';
import { settleWith } from '../support/due-work.ts';
import { type RedisServer, redisServer } from '../support/redis-server.ts';
import { insertMembers, insertScreening } from '../support/screening-fixture.ts';

const JWT_SECRET = 'redis-faults-test-secret-long-enough';
const database = testDatabase(4);
const servers: RedisServer[] = [];

/** A redis-server of this test's own, killed at the end whatever happens. */
async function startRedis(port: number): Promise<RedisServer> {
  const server = redisServer(port);
  servers.push(server);
  await server.start();
  return server;
}

afterAll(async () => {
  for (const server of servers) await server.kill();
  await database.close();
});

describe('Redis killed mid-sale and restarted empty', () => {
  let port: number;
  let redis: RedisServer;
  let marquee: Standalone;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    marquee = await startStandalone({
      runtime: 'node',
      env: {
        DATABASE_URL: inject('databaseUrl'),
        REDIS_URL: `redis://127.0.0.1:${port}`,
        JWT_SECRET,
        HOLD_TTL_SECONDS: '60',
        PAYMENT_TIMEOUT_SECONDS: '3',
        REDIS_HEALTH_INTERVAL_MS: '300',
        MARQUEE_TEST_FAULTS: '1',
      },
      upgradeWebSocket: () => {
        throw new Error('no sockets in this test');
      },
      remoteAddress: () => '127.0.0.1',
      serveStatic,
    });
  }, 60_000);

  afterAll(async () => {
    await marquee?.close();
  });

  it('refuses writes with 503 while down, answers reads, rebuilds from Postgres, keeps and settles the payment in flight', async () => {
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 10 });
    const [alice, bob, carol, dave] = await Promise.all(
      (await insertMembers(database.db, 4)).map(async (member) => ({
        id: member.id,
        token: await signAccessToken({ id: member.id, loginId: member.loginId, role: 'USER' }, JWT_SECRET),
      })),
    );
    const call = async (
      path: string,
      token?: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const response = await marquee.app.request(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const statuses = async () => {
      const map = await call(`/api/screenings/${screeningId}/seats`);
      expect(map.status).toBe(200);
      return (map.body.seats as { status: string }[]).map((seat) => seat.status);
    };
    const hold = (who: { token: string }, seats: string[]) =>
      call(`/api/screenings/${screeningId}/holds`, who.token, { seatIds: seats });
    const pay = (who: { token: string }, holdToken: string, key: string, fault?: string) =>
      call(
        '/api/payments',
        who.token,
        { holdToken, screeningId, method: 'CARD', cardNumber: '4242424242424242' },
        { 'idempotency-key': key, ...(fault ? { 'x-marquee-fault': fault } : {}) },
      );
    const soldRows = async () =>
      (
        await database.pool.query<{ n: number }>(
          'select count(*)::int as n from reservation_seats where screening_id = $1 and active',
          [screeningId],
        )
      ).rows[0]?.n;

    // Before: Alice's payment dies after the charge (step 5), Bob holds, Carol has bought.
    const aliceHold = await hold(alice!, [seatIds[0]!, seatIds[1]!]);
    expect(aliceHold.status).toBe(201);
    expect((await pay(alice!, aliceHold.body.holdToken, 'alice-1', 'kill-after-step-5')).status).toBe(500);
    expect((await hold(bob!, [seatIds[2]!])).status).toBe(201);
    const carolHold = await hold(carol!, [seatIds[3]!]);
    expect((await pay(carol!, carolHold.body.holdToken, 'carol-1')).status).toBe(201);
    const before = await statuses();
    expect(before.slice(0, 5)).toEqual([
      'PAYMENT_PENDING',
      'PAYMENT_PENDING',
      'HOLD',
      'RESERVED',
      'AVAILABLE',
    ]);
    expect(await soldRows()).toBe(1);

    await redis.kill();

    // Down: every write 503 at once, reads still answer, Postgres untouched.
    const refused = await hold(dave!, [seatIds[4]!]);
    expect(refused).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
    const davePay = await pay(dave!, crypto.randomUUID(), 'dave-1');
    expect(davePay.status).toBe(503);
    expect(
      (
        await call(
          `/api/reservations/${(await call('/api/reservations', carol!.token)).body.items[0].reservationNo}/cancel`,
          carol!.token,
          {},
        )
      ).status,
    ).toBe(503);
    expect(await statuses()).toEqual(before);
    const health = await call('/health');
    expect(health.status).toBe(503);
    expect(health.body.components).toMatchObject({ redis: { status: 'DOWN' }, seats: { status: 'DOWN' } });
    expect(await soldRows()).toBe(1);
    const carolReservation = (await call('/api/reservations', carol!.token)).body.items[0];
    expect(carolReservation.status).toBe('CONFIRMED');
    // The refused payment left its key free: the same key is not "in use".
    const keys = await database.pool.query<{ n: number }>(
      "select count(*)::int as n from idempotency_records where key = 'dave-1'",
    );
    expect(keys.rows[0]?.n).toBe(0);

    // Back, empty: state rebuilt from Postgres before writes are taken.
    redis = await startRedis(port);
    await expect
      .poll(async () => (await call('/health')).status, { timeout: 15_000, interval: 200 })
      .toBe(200);
    const rebuilt = await statuses();
    expect(rebuilt.slice(0, 5)).toEqual([
      'PAYMENT_PENDING',
      'PAYMENT_PENDING',
      'AVAILABLE',
      'RESERVED',
      'AVAILABLE',
    ]);
    expect((await hold(dave!, [seatIds[0]!])).body.code).toBe('SEAT_NOT_AVAILABLE');
    expect((await hold(dave!, [seatIds[3]!])).body.code).toBe('SEAT_NOT_AVAILABLE');
    expect((await hold(dave!, [seatIds[2]!])).status).toBe(201);

    // Alice's payment was charged: at its deadline it is committed, and her retry replays it.
    await expect
      .poll(async () => (await statuses()).slice(0, 2), { timeout: 15_000, interval: 250 })
      .toEqual(['RESERVED', 'RESERVED']);
    const replay = await pay(alice!, aliceHold.body.holdToken, 'alice-1');
    expect(replay.status).toBe(201);
    expect(replay.body.reservation.seatIds.sort()).toEqual([seatIds[0], seatIds[1]].sort());
    expect(await soldRows()).toBe(3);
    const doubled = await database.pool.query(
      `select seat_id from reservation_seats where screening_id = $1 and active
       group by seat_id having count(*) > 1`,
      [screeningId],
    );
    expect(doubled.rows).toEqual([]);
  }, 90_000);
});

describe('the commit lease', () => {
  it('makes a commit fail once its lease was taken over, so a paused process cannot commit late', async () => {
    const port = await freePort();
    await startRedis(port);
    const settings = {
      HOLD_TTL_SECONDS: 60,
      PAYMENT_TIMEOUT_SECONDS: 60,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 1_000,
    };
    const open = () =>
      new RedisSeatCoordinator({
        url: `redis://127.0.0.1:${port}`,
        db: () => database.db,
        settleDueWork: settleWith(() => database.db),
        settings,
        leaseMs: 300,
      });
    const [slow, fast] = [open(), open()];
    await Promise.all([slow.start(), fast.start()]);
    try {
      const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
      const [member] = await insertMembers(database.db, 1);
      const held = await slow.hold(screeningId, member!.id, [seatIds[0]!]);
      if (!held.ok) throw new Error('hold refused');
      const { holdToken } = held.value;
      expect((await slow.startPayment(screeningId, member!.id, holdToken)).ok).toBe(true);
      const { rows: inserted } = await database.pool.query<{ id: string }>(
        `insert into payments (member_id, screening_id, hold_token, idempotency_key, method, amount, seat_ids)
         values ($1, $2, $3, 'lease-test', 'CARD', 12000, $4::jsonb) returning id`,
        [member!.id, screeningId, holdToken, JSON.stringify([seatIds[0]])],
      );
      const payment = inserted[0];
      const priced = await pricedSeatsOf(database.db, screeningId, [seatIds[0]!]);
      const reservation = (no: string): NewReservation => ({
        reservationNo: no,
        memberId: member!.id,
        screeningId,
        holdToken,
        payment: { id: payment!.id, amount: 12000, method: 'CARD', idempotencyKey: 'lease-test' },
        ...priced,
      });
      const commit = (fence: number | null, items: readonly NewReservation[]) =>
        commitPayments(database.db, screeningId, items, fence);

      // The slow process takes the lease, then pauses until the other has taken the lease over
      // (once the 300 ms lease ran out) and committed: however slow the machine, it comes back late.
      let fastDone!: () => void;
      const fastCommitted = new Promise<void>((resolve) => {
        fastDone = resolve;
      });
      let slowHasLease!: () => void;
      const leased = new Promise<void>((resolve) => {
        slowHasLease = resolve;
      });
      const stale = slow.commitFenced(
        screeningId,
        holdToken,
        reservation('MQ-000000-STALE2'),
        async (fence: number | null, items: readonly NewReservation[]) => {
          slowHasLease();
          await fastCommitted;
          return commit(fence, items);
        },
      );
      await leased;
      const committed = await fast
        .commitFenced(screeningId, holdToken, reservation('MQ-000000-FRESH2'), commit)
        .finally(fastDone);
      expect(committed).toMatchObject({
        outcome: 'committed',
        response: { reservation: { reservationNo: 'MQ-000000-FRESH2' } },
      });
      await expect(stale).rejects.toBeInstanceOf(FenceRejected);
      const rows = await database.pool.query(
        'select reservation_no from reservations where hold_token = $1',
        [holdToken],
      );
      expect(rows.rows).toEqual([{ reservation_no: 'MQ-000000-FRESH2' }]);
    } finally {
      await Promise.all([slow.close(), fast.close()]);
    }
  }, 30_000);
});
