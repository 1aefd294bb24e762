// The Worker with its production database path: Postgres reached only through the HYPERDRIVE binding
// (here Miniflare's local Hyperdrive in front of the test database), with no relay and a
// DATABASE_URL that leads nowhere. Requests, the screening actor and a payment all work through it.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/db/client.ts';
import { reservations } from '../../src/adapters/db/schema.ts';
import { insertScreening } from '../support/screening-fixture.ts';
import { api, newUser } from '../worker/helpers.ts';

const testEnv = env as unknown as { TEST_DATABASE_URL: string; TEST_WS_PROXY: string };

function withDb<T>(work: (db: ReturnType<typeof connect>['db']) => Promise<T>): Promise<T> {
  const connection = connect(testEnv.TEST_DATABASE_URL, testEnv.TEST_WS_PROXY, 1);
  return work(connection.db).finally(() => connection.close());
}

describe('Postgres through Hyperdrive', () => {
  it('has the binding, and no relay or reachable DATABASE_URL to fall back on', () => {
    expect(env.HYPERDRIVE?.connectionString).toMatch(/^postgres(ql)?:\/\//);
    expect(env.PG_WS_PROXY).toBeUndefined();
    expect(env.DATABASE_URL).toContain('not-used-with-hyperdrive');
  });

  it('serves health, a hold and a payment, and replays it', async () => {
    const health = await api('/health');
    expect(health.body, JSON.stringify(health.body)).toMatchObject({ status: 'UP' });
    const user = await newUser('hyper');
    const { screeningId, seatIds } = await withDb((db) => insertScreening(db, { seats: 4 }));
    const hold = await api(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: user.accessToken,
      body: { seatIds: [seatIds[0], seatIds[1]] },
    });
    expect(hold.status).toBe(201);
    const pay = () =>
      api('/api/payments', {
        method: 'POST',
        token: user.accessToken,
        headers: { 'idempotency-key': 'hyperdrive-1' },
        body: { holdToken: hold.body.holdToken, screeningId, method: 'CARD', cardNumber: '4242424242424242' },
      });
    const paid = await pay();
    expect(paid.status).toBe(201);
    expect([...paid.body.reservation.seatIds].sort()).toEqual([seatIds[0], seatIds[1]].sort());
    expect(await pay()).toMatchObject({ status: 201, body: paid.body });
    const [stored] = await withDb((db) =>
      db
        .select()
        .from(reservations)
        .where(eq(reservations.reservationNo, paid.body.reservation.reservationNo)),
    );
    expect(stored?.holdToken).toBe(hold.body.holdToken);
    const shown = await api(`/api/reservations/${paid.body.reservation.reservationNo}`, {
      token: user.accessToken,
    });
    expect(shown.body).toEqual(paid.body.reservation);
    const map = await api(`/api/screenings/${screeningId}/seats`);
    const statusOf = (id: string) =>
      map.body.seats.find((seat: { seatId: string }) => seat.seatId === id)?.status;
    expect([statusOf(seatIds[0]!), statusOf(seatIds[2]!)]).toEqual(['RESERVED', 'AVAILABLE']);
  });
});
