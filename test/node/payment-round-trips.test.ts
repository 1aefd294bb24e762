// Postgres round trips of a payment on the Node runtime (Redis coordinator), counted on the wire by
// the bench's counting proxy: a count, so it does not depend on how loaded the machine is. Payments
// of one screening sent together also exercise the commit path under the lease.
import { serveStatic } from '@hono/node-server/serve-static';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PgCounter, startPgCounterProcess } from '../../bench/support/pg-counter.ts';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { connectTcp } from '../../src/adapters/db/tcp-client.ts';
import { type Standalone, startStandalone } from '../../src/entries/standalone.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertMembers, insertScreening } from '../support/screening-fixture.ts';

const JWT_SECRET = 'payment-round-trips-test-secret-long';
const REDIS = redisUrl(8);
// Over TCP: the Neon driver's relay setting is process-wide, and the app under test sets its own.
const database = connectTcp(inject('databaseUrl'), 2);
let counter: PgCounter;
let marquee: Standalone;

beforeAll(async () => {
  await flushRedis(REDIS);
  counter = await startPgCounterProcess(inject('databaseUrl'));
  marquee = await startStandalone({
    runtime: 'node',
    env: { DATABASE_URL: counter.url, REDIS_URL: REDIS, JWT_SECRET, HOLD_TTL_SECONDS: '120' },
    upgradeWebSocket: () => {
      throw new Error('no sockets in this test');
    },
    remoteAddress: () => '127.0.0.1',
    serveStatic,
  });
}, 60_000);

afterAll(async () => {
  await marquee?.close();
  await counter?.close();
  await database.close();
});

async function call(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await marquee.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function heldSeats(count: number) {
  const { screeningId, seatIds } = await insertScreening(database.db, { seats: count });
  const members = await Promise.all(
    (await insertMembers(database.db, count)).map(async (member) => ({
      id: member.id,
      token: await signAccessToken({ id: member.id, loginId: member.loginId, role: 'USER' }, JWT_SECRET),
    })),
  );
  const holds = await Promise.all(
    members.map((member, index) =>
      call(`/api/screenings/${screeningId}/holds`, member.token, { seatIds: [seatIds[index]] }),
    ),
  );
  for (const hold of holds) expect(hold.status).toBe(201);
  // What the holds wrote behind them is done before counting.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { screeningId, members, holdTokens: holds.map((hold) => String(hold.body.holdToken)) };
}

const payOne = (screeningId: string, token: string, holdToken: string, key: string) =>
  call(
    '/api/payments',
    token,
    { holdToken, screeningId, method: 'CARD', cardNumber: '4242424242424242' },
    { 'idempotency-key': key },
  );

describe('Postgres round trips of a payment (Node + Redis)', () => {
  it('one payment at a time', async () => {
    const { screeningId, members, holdTokens } = await heldSeats(5);
    const before = await counter.roundTrips();
    for (const [index, member] of members.entries()) {
      const paid = await payOne(screeningId, member.token, holdTokens[index]!, `one-${index}`);
      expect(paid.status).toBe(201);
    }
    const perPayment = ((await counter.roundTrips()) - before) / members.length;
    console.log(`round trips per payment, one at a time: ${perPayment}`);
    expect(perPayment).toBeLessThan(100);
  });

  it('32 payments of one screening at once', async () => {
    const { screeningId, members, holdTokens } = await heldSeats(32);
    const before = await counter.roundTrips();
    const paid = await Promise.all(
      members.map((member, index) => payOne(screeningId, member.token, holdTokens[index]!, `many-${index}`)),
    );
    for (const reply of paid) expect(reply.status).toBe(201);
    const perPayment = ((await counter.roundTrips()) - before) / members.length;
    console.log(`round trips per payment, 32 at once: ${perPayment}`);
    expect(perPayment).toBeLessThan(100);
  });
});
