// Payments on the Redis coordinator against the real Postgres: the payments of one screening that
// wait while a commit is in flight commit together (group commit under one lease, one statement,
// a savepoint each); one that cannot keep its seat is refunded while the rest of its batch
// commits; Postgres lost in the middle of a batch loses nothing (the payments stay PENDING and the
// settlement finishes them); and a payment whose request died between PAYMENT_PENDING and its row
// is resumed by a retry with its key.
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gatewayLedger, payments, reservationSeats, reservations } from '../../src/adapters/db/schema.ts';
import { connectTcp } from '../../src/adapters/db/tcp-client.ts';
import { MockPaymentGateway, TEST_CARDS } from '../../src/adapters/payment/mock-gateway.ts';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import { problemBody, toProblem } from '../../src/http/problem.ts';
import type { ChargeRequest } from '../../src/ports/payment-gateway.ts';
import { type Faults, KilledForTest, NO_FAULTS } from '../../src/services/faults.ts';
import { pay } from '../../src/services/payment-service.ts';
import { settleWith } from '../support/due-work.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertMembers, insertScreening } from '../support/screening-fixture.ts';

const REDIS = redisUrl(7);

/**
 * A TCP proxy in front of Postgres that counts commit_payments statements and, when armed, cuts
 * every connection the moment one is sent, then refuses connections until it is healed. A
 * connection that has the statement prepared sends only its name ('commit-payments') with the values.
 */
async function cuttingProxy(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const state = { commits: 0, cutOnCommit: false, down: false };
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const server = createServer((client) => {
    if (state.down) return void client.destroy();
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('commit_payments(') || chunk.includes('commit-payments')) {
        state.commits++;
        if (state.cutOnCommit) {
          state.down = true;
          return cutAll();
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    state,
    close: () => {
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Lets no charge answer before `count` were made, so their commits all arrive together. */
class BarrierGateway extends MockPaymentGateway {
  #waiting: (() => void)[] = [];
  count = Number.POSITIVE_INFINITY;

  override async charge(request: ChargeRequest) {
    const outcome = await super.charge(request);
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      if (this.#waiting.length >= this.count) for (const go of this.#waiting.splice(0)) go();
    });
    return outcome;
  }
}

const direct = connectTcp(inject('databaseUrl'), 4);
let proxy: Awaited<ReturnType<typeof cuttingProxy>>;
let appDb: ReturnType<typeof connectTcp>;
let seats: RedisSeatCoordinator;
let gateway: BarrierGateway;

beforeAll(async () => {
  await flushRedis(REDIS);
  proxy = await cuttingProxy(inject('databaseUrl'));
  // Named statements as the Node runtime has them on a real Postgres (not on the embedded PGlite,
  // whose connections all share one session).
  appDb = connectTcp(proxy.url, 8, { prepare: inject('realPostgres') });
  const db = () => appDb.db;
  seats = new RedisSeatCoordinator({
    url: REDIS,
    db,
    settleDueWork: settleWith(db),
    settings: {
      HOLD_TTL_SECONDS: 120,
      PAYMENT_TIMEOUT_SECONDS: 2,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 500,
    },
    sweepIntervalMs: 100,
  });
  await seats.start();
  // The gateway keeps its ledger in Postgres directly, as a real gateway is not behind our proxy.
  gateway = new BarrierGateway(() => direct.db);
}, 60_000);

afterAll(async () => {
  await seats?.close();
  await appDb?.close();
  await proxy?.close();
  await direct.close();
});

const deps = (faults: Faults = NO_FAULTS) => ({
  db: () => appDb.db,
  seats,
  gateway,
  faults,
  problem: problemBody,
});

/** `count` members, each holding one seat of a new screening. */
async function held(count: number) {
  const { screeningId, seatIds } = await insertScreening(direct.db, { seats: count });
  const members = await insertMembers(direct.db, count);
  const holds = [];
  for (const [index, member] of members.entries()) {
    const hold = await seats.hold(screeningId, member.id, [seatIds[index]!]);
    if (!hold.ok) throw new Error(`hold refused: ${JSON.stringify(hold)}`);
    holds.push({ memberId: member.id, holdToken: hold.value.holdToken, seatId: seatIds[index]! });
  }
  return { screeningId, seatIds, holds };
}

const request = (screeningId: string, holdToken: string) => ({
  holdToken,
  screeningId,
  method: 'CARD' as const,
  cardNumber: TEST_CARDS.approve,
});

const sold = async (screeningId: string) =>
  (
    await direct.db
      .select({ seatId: reservationSeats.seatId })
      .from(reservationSeats)
      .where(eq(reservationSeats.screeningId, screeningId))
  ).length;

const statuses = async (screeningId: string) => {
  const map = await seats.snapshot(screeningId);
  if (!map.ok) throw new Error('no seat map');
  return map.value.seats.map((seat) => seat.status);
};

describe('group commit under the screening lease', () => {
  it('commits concurrent payments of one screening together, each answered with its own reservation', async () => {
    const { screeningId, holds } = await held(12);
    gateway.count = holds.length;
    const before = proxy.state.commits;
    const answers = await Promise.all(
      holds.map((hold, i) => pay(deps(), hold.memberId, `group-${i}`, request(screeningId, hold.holdToken))),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    const numbers = answers.map((answer) => (answer.body as any).reservation.reservationNo);
    expect(new Set(numbers).size).toBe(holds.length);
    for (const [i, answer] of answers.entries())
      expect((answer.body as any).reservation.seatIds).toEqual([holds[i]!.seatId]);
    // Fewer commit statements than payments: those that waited went together.
    expect(proxy.state.commits - before).toBeLessThan(holds.length);
    expect(await sold(screeningId)).toBe(holds.length);
    expect(await statuses(screeningId)).toEqual(holds.map(() => 'RESERVED'));
    // What the answer was built from in hand is what Postgres now shows.
    const [stored] = await direct.db
      .select()
      .from(reservations)
      .where(eq(reservations.reservationNo, numbers[0]));
    expect((answers[0]!.body as any).reservation.createdAt).toBe(stored!.createdAt.toISOString());
  });

  it('refunds the one payment of a batch whose seat is sold already, and commits the others', async () => {
    const { screeningId, holds } = await held(6);
    // A coordinator bug, as the unique index sees it: seat 3 sold straight into Postgres.
    const [other] = await insertMembers(direct.db, 1);
    const [forged] = await direct.db
      .insert(reservations)
      .values({
        reservationNo: `MQ-FORGED-${Date.now()}`,
        memberId: other!.id,
        screeningId,
        holdToken: `forged-${crypto.randomUUID()}`,
        totalAmount: 0,
        seatCount: 1,
      })
      .returning();
    await direct.db
      .insert(reservationSeats)
      .values({ reservationId: forged!.id, screeningId, seatId: holds[3]!.seatId, price: 0 });
    gateway.count = holds.length;
    const before = proxy.state.commits;
    const answers = await Promise.all(
      holds.map((hold, i) => pay(deps(), hold.memberId, `mixed-${i}`, request(screeningId, hold.holdToken))),
    );
    expect(proxy.state.commits - before).toBeLessThan(holds.length);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 409, 201, 201]);
    expect((answers[3]!.body as any).code).toBe('SEAT_NOT_AVAILABLE');
    const refused = await direct.db
      .select()
      .from(payments)
      .where(eq(payments.holdToken, holds[3]!.holdToken));
    expect(refused.map((payment) => payment.status)).toEqual(['REFUNDED']);
    const ledger = await direct.db
      .select({ kind: gatewayLedger.kind })
      .from(gatewayLedger)
      .where(eq(gatewayLedger.idempotencyKey, refused[0]!.id));
    expect(ledger.map((row) => row.kind).sort()).toEqual(['CHARGE', 'REFUND']);
    expect(await sold(screeningId)).toBe(holds.length); // five sold by the batch, one forged
  });

  it('loses nothing when Postgres goes away in the middle of a batch: the settlement finishes it', async () => {
    const { screeningId, holds } = await held(5);
    gateway.count = holds.length;
    proxy.state.cutOnCommit = true;
    const answers = await Promise.allSettled(
      holds.map((hold, i) => pay(deps(), hold.memberId, `cut-${i}`, request(screeningId, hold.holdToken))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(holds.map(() => 'rejected'));
    // Each is answered 503 (try again), not 500: node-postgres' broken socket is an outage too.
    for (const answer of answers) {
      const app = new Hono().get('/', () => {
        throw (answer as PromiseRejectedResult).reason;
      });
      app.onError(toProblem);
      expect((await app.request('/')).status).toBe(503);
    }
    const tokens = holds.map((hold) => hold.holdToken);
    const pending = await direct.db.select().from(payments).where(inArray(payments.holdToken, tokens));
    expect(pending.map((payment) => payment.status)).toEqual(holds.map(() => 'PENDING'));
    expect(await statuses(screeningId)).toEqual(holds.map(() => 'PAYMENT_PENDING'));
    // Postgres is back: at the payment deadline the settlement finds each charge and commits it.
    proxy.state.cutOnCommit = false;
    proxy.state.down = false;
    await expect
      .poll(async () => (await statuses(screeningId)).join(), { timeout: 20_000, interval: 200 })
      .toBe(holds.map(() => 'RESERVED').join());
    const settled = await direct.db.select().from(payments).where(inArray(payments.holdToken, tokens));
    expect(settled.map((payment) => payment.status)).toEqual(holds.map(() => 'APPROVED'));
    expect(await sold(screeningId)).toBe(holds.length);
    // Each key answers the reservation the settlement committed.
    gateway.count = 1;
    const replay = await pay(deps(), holds[0]!.memberId, 'cut-0', request(screeningId, holds[0]!.holdToken));
    expect(replay.status).toBe(201);
    const [reservation] = await direct.db
      .select()
      .from(reservations)
      .where(eq(reservations.holdToken, holds[0]!.holdToken));
    expect((replay.body as any).reservation.reservationNo).toBe(reservation!.reservationNo);
  }, 40_000);
});

describe('a payment whose request died between PAYMENT_PENDING and its row', () => {
  const killAfter3: Faults = {
    after(step) {
      if (step === 3) throw new KilledForTest('killed after step 3');
    },
    refundFails: false,
  };

  it('is resumed by a retry with its key once the key lease ran out, and answers 201', async () => {
    const { screeningId, holds } = await held(1);
    const hold = holds[0]!;
    gateway.count = 1;
    const body = request(screeningId, hold.holdToken);
    await expect(pay(deps(killAfter3), hold.memberId, 'died-3', body)).rejects.toBeInstanceOf(KilledForTest);
    expect(await statuses(screeningId)).toEqual(['PAYMENT_PENDING']);
    // While the key's lease lasts, the first request may still be running.
    await expect(pay(deps(), hold.memberId, 'died-3', body)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      extra: { retryAfter: expect.toSatisfy((seconds: number) => seconds >= 25 && seconds <= 30) },
    });
    // Another key cannot take over the payment.
    await expect(pay(deps(), hold.memberId, 'other-key', body)).rejects.toMatchObject({
      code: 'PAYMENT_IN_PROGRESS',
    });
    // The lease runs out (30 s in real time).
    await direct.pool.query(
      `update idempotency_records set lease_until = now() - interval '1 second' where member_id = $1 and key = 'died-3'`,
      [hold.memberId],
    );
    const resumed = await pay(deps(), hold.memberId, 'died-3', body);
    expect(resumed.status).toBe(201);
    expect(await statuses(screeningId)).toEqual(['RESERVED']);
    expect((await pay(deps(), hold.memberId, 'died-3', body)).body).toEqual(resumed.body);
  });
});
