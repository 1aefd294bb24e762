// Requests that die mid-payment, settled by the actor's alarm when the payment deadline passes
// (PAYMENT_TIMEOUT_SECONDS=3 here), and refunds retried by it (REFUND_RETRY_SECONDS=2).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { gatewayLedger, payments, reservations } from '../../src/adapters/db/schema.ts';
import { createScreening, holdSeats, payFor, seatStatuses, watch, withDb } from '../worker/fixtures.ts';
import { api, newUser } from '../worker/helpers.ts';

const settleWait = { timeout: 15_000, interval: 200 };

async function dieAfter(step: number) {
  const user = await newUser();
  const { screeningId, seatIds } = await createScreening();
  const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!, seatIds[1]!]);
  const key = `die-after-${step}-${crypto.randomUUID()}`;
  const died = await payFor(hold, user.accessToken, { key, fault: `kill-after-step-${step}` });
  expect(died.status).toBe(500);
  expect((await seatStatuses(screeningId)).get(seatIds[0]!)).toBe('PAYMENT_PENDING');
  return { user, screeningId, seatIds, hold, key };
}

const paymentsOf = (holdToken: string) =>
  withDb((db) => db.select().from(payments).where(eq(payments.holdToken, holdToken)));

describe('settling a payment whose request died', () => {
  it('after step 3 (no payment row): frees the seats, and the key answers the final 502, not 404', async () => {
    const { user, screeningId, seatIds, hold, key } = await dieAfter(3);
    // Within the key's lease the first request may still be running.
    expect((await payFor(hold, user.accessToken, { key })).body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    await expect
      .poll(async () => (await seatStatuses(screeningId)).get(seatIds[0]!), settleWait)
      .toBe('AVAILABLE');
    expect(await paymentsOf(hold.holdToken)).toEqual([]);
    const retry = await payFor(hold, user.accessToken, { key });
    expect([retry.status, retry.body.code]).toEqual([502, 'PAYMENT_GATEWAY_ERROR']);
    expect(await paymentsOf(hold.holdToken)).toEqual([]); // and still nothing charged or written
  });

  it('after step 4 (PENDING, never charged): FAILED, seats freed, and the key replays the failure', async () => {
    const { user, screeningId, seatIds, hold, key } = await dieAfter(4);
    await expect
      .poll(async () => (await seatStatuses(screeningId)).get(seatIds[0]!), settleWait)
      .toBe('AVAILABLE');
    const [payment] = await paymentsOf(hold.holdToken);
    expect(payment?.status).toBe('FAILED');
    expect(
      await withDb((db) =>
        db.select().from(gatewayLedger).where(eq(gatewayLedger.idempotencyKey, payment!.id)),
      ),
    ).toEqual([]);
    const replay = await payFor(hold, user.accessToken, { key });
    expect([replay.status, replay.body.code]).toEqual([502, 'PAYMENT_GATEWAY_ERROR']);
  });

  it('after step 5 (charged, not committed): commits the reservation and the key replays the 201', async () => {
    const { user, screeningId, seatIds, hold, key } = await dieAfter(5);
    await expect
      .poll(async () => (await seatStatuses(screeningId)).get(seatIds[0]!), settleWait)
      .toBe('RESERVED');
    const [payment] = await paymentsOf(hold.holdToken);
    expect(payment?.status).toBe('APPROVED');
    const [reservation] = await withDb((db) =>
      db.select().from(reservations).where(eq(reservations.holdToken, hold.holdToken)),
    );
    expect(reservation?.status).toBe('CONFIRMED');
    const replay = await payFor(hold, user.accessToken, { key });
    expect(replay.status).toBe(201);
    expect(replay.body.reservation.reservationNo).toBe(reservation?.reservationNo);
    const mine = await api('/api/reservations', { token: user.accessToken });
    expect(mine.body.items.map((item: any) => item.reservationNo)).toEqual([reservation?.reservationNo]);
  });

  it('after step 6 (committed, actor not told): moves the seats to RESERVED from the records', async () => {
    const { user, screeningId, seatIds, hold, key } = await dieAfter(6);
    const live = await watch(screeningId);
    await expect
      .poll(async () => (await seatStatuses(screeningId)).get(seatIds[1]!), settleWait)
      .toBe('RESERVED');
    await expect.poll(() => live.messages.at(-1)?.changes?.[0]?.status).toBe('RESERVED');
    const replay = await payFor(hold, user.accessToken, { key });
    expect(replay.status).toBe(201);
    expect(await paymentsOf(hold.holdToken)).toHaveLength(1);
    live.close();
  });

  it('answers a payment after the hold expired with 409 HOLD_EXPIRED or 404 HOLD_NOT_FOUND', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening();
    const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await payFor(hold, user.accessToken);
    expect([
      [409, 'HOLD_EXPIRED'],
      [404, 'HOLD_NOT_FOUND'],
    ]).toContainEqual([late.status, late.body.code]);
    expect(await paymentsOf(hold.holdToken)).toEqual([]);
  });
});

describe('refund retries', () => {
  it('retries a refused refund by alarm until the seats are free and the money is back', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening();
    const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
    const paid = await payFor(hold, user.accessToken);
    const { reservationNo } = paid.body.reservation;
    const cancelled = await api(`/api/reservations/${reservationNo}/cancel`, {
      method: 'POST',
      token: user.accessToken,
      headers: { 'x-marquee-fault': 'refund-fails' },
    });
    expect(cancelled.body.refund.status).toBe('PENDING');
    await expect
      .poll(async () => (await seatStatuses(screeningId)).get(seatIds[0]!), settleWait)
      .toBe('AVAILABLE');
    const again = await api(`/api/reservations/${reservationNo}/cancel`, {
      method: 'POST',
      token: user.accessToken,
    });
    expect(again.body.refund).toEqual({ status: 'REFUNDED', amount: paid.body.payment.amount });
  });
});
