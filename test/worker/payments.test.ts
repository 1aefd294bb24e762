// POST /api/payments and reservations, inside workerd against real Postgres.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { gatewayLedger, payments, reservationSeats } from '../../src/adapters/db/schema.ts';
import { CARDS, createScreening, holdSeats, payFor, seatStatuses, withDb } from './fixtures.ts';
import { admin, api, newUser } from './helpers.ts';

const ledgerOf = (paymentId: string) =>
  withDb((db) => db.select().from(gatewayLedger).where(eq(gatewayLedger.idempotencyKey, paymentId)));
const paymentsOfHold = (holdToken: string) =>
  withDb((db) => db.select().from(payments).where(eq(payments.holdToken, holdToken)));

describe('payments', () => {
  describe('happy', () => {
    it('turns a hold into a reservation with an approved card', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening({ price: 12000 });
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!, seatIds[1]!]);
      const paid = await payFor(hold, user.accessToken);
      expect(paid.status).toBe(201);
      const { reservation, payment } = paid.body;
      expect(reservation).toMatchObject({
        reservationNo: expect.stringMatching(/^MQ-\d{6}-[A-Z0-9]{6}$/),
        status: 'CONFIRMED',
        screeningId,
        seatIds: [seatIds[0], seatIds[1]],
        totalAmount: 24000,
        movieTitle: expect.any(String),
        theaterName: expect.any(String),
        screenName: 'Screen',
      });
      expect(reservation.seats[0]).toEqual({
        seatId: seatIds[0],
        rowLabel: 'A',
        seatNo: 1,
        type: 'STANDARD',
        price: 12000,
      });
      expect(payment).toEqual({ id: expect.any(String), status: 'APPROVED', amount: 24000, method: 'CARD' });
      const statuses = await seatStatuses(screeningId);
      expect([statuses.get(seatIds[0]!), statuses.get(seatIds[1]!)]).toEqual(['RESERVED', 'RESERVED']);
      expect((await ledgerOf(payment.id)).map((row) => [row.kind, row.outcome, row.amount])).toEqual([
        ['CHARGE', 'APPROVED', 24000],
      ]);
      const listed = await api('/api/reservations', { token: user.accessToken });
      expect(listed.body.items[0]).toEqual(reservation);
      const detail = await api(`/api/reservations/${reservation.reservationNo}`, { token: user.accessToken });
      expect(detail.body).toEqual(reservation);
    });

    it.each(['KAKAO_PAY', 'NAVER_PAY', 'TOSS', 'BANK_TRANSFER'])(
      'approves the wallet method %s',
      async (method) => {
        const user = await newUser();
        const { screeningId, seatIds } = await createScreening();
        const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
        const paid = await payFor(hold, user.accessToken, { method });
        expect(paid.status).toBe(201);
        expect(paid.body.payment.method).toBe(method);
      },
    );

    it('replays the first answer for the same key and body, charging once', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      const first = await payFor(hold, user.accessToken, { key: 'same-key-1' });
      const again = await payFor(hold, user.accessToken, { key: 'same-key-1' });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await ledgerOf(first.body.payment.id)).toHaveLength(1);
    });

    it('makes exactly one reservation and one charge of five concurrent identical requests', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!, seatIds[1]!]);
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => payFor(hold, user.accessToken, { key: 'burst-key' })),
      );
      const created = results.filter((result) => result.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const result of results) {
        if (result.status !== 201)
          expect([result.status, result.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_USE']);
      }
      const reservationNos = new Set(created.map((result) => result.body.reservation.reservationNo));
      expect(reservationNos.size).toBe(1);
      const rows = await paymentsOfHold(hold.holdToken);
      expect(rows).toHaveLength(1);
      expect(await ledgerOf(rows[0]!.id)).toHaveLength(1);
    });
  });

  describe('errors', () => {
    it('answers a declined card with 402, frees the seats and replays the 402', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      const declined = await payFor(hold, user.accessToken, { key: 'decline-1', cardNumber: CARDS.decline });
      expect([declined.status, declined.body.code]).toEqual([402, 'PAYMENT_DECLINED']);
      expect(declined.headers.get('content-type')).toBe('application/problem+json');
      expect((await seatStatuses(screeningId)).get(seatIds[0]!)).toBe('AVAILABLE');
      expect((await paymentsOfHold(hold.holdToken))[0]?.status).toBe('DECLINED');
      const replay = await payFor(hold, user.accessToken, { key: 'decline-1', cardNumber: CARDS.decline });
      expect([replay.status, replay.body]).toEqual([402, declined.body]);
    });

    it('answers a gateway timeout with 502, charges nothing and frees the seats', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      const failed = await payFor(hold, user.accessToken, { cardNumber: CARDS.timeout });
      expect([failed.status, failed.body.code]).toEqual([502, 'PAYMENT_GATEWAY_ERROR']);
      expect((await seatStatuses(screeningId)).get(seatIds[0]!)).toBe('AVAILABLE');
      const [payment] = await paymentsOfHold(hold.holdToken);
      expect(payment?.status).toBe('FAILED');
      expect((await ledgerOf(payment!.id)).map((row) => row.outcome)).toEqual(['TIMEOUT']);
    });

    it('refuses a missing key, a CARD without a test card and an unknown method with 400, storing nothing', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      const noKey = await api('/api/payments', {
        method: 'POST',
        token: user.accessToken,
        body: { holdToken: hold.holdToken, screeningId, method: 'CARD', cardNumber: CARDS.approve },
      });
      expect([noKey.status, noKey.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await payFor(hold, user.accessToken, { cardNumber: null })).status).toBe(400);
      expect((await payFor(hold, user.accessToken, { cardNumber: '5555555555554444' })).status).toBe(400);
      expect((await payFor(hold, user.accessToken, { method: 'BITCOIN' })).status).toBe(400);
      expect(await paymentsOfHold(hold.holdToken)).toEqual([]);
      expect((await seatStatuses(screeningId)).get(seatIds[0]!)).toBe('HOLD');
    });

    it('answers 422 when a key is reused with another body', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const first = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      const second = await holdSeats(screeningId, user.accessToken, [seatIds[1]!]);
      expect((await payFor(first, user.accessToken, { key: 'reuse-1' })).status).toBe(201);
      const reused = await payFor(second, user.accessToken, { key: 'reuse-1' });
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect((await seatStatuses(screeningId)).get(seatIds[1]!)).toBe('HOLD');
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_USE while the first request with the key is still in flight, with when to retry', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, user.accessToken, [seatIds[0]!]);
      // The first request dies after step 3, its lease still running: to everyone else it is in flight.
      const dying = await payFor(hold, user.accessToken, { key: 'in-flight-1', fault: 'kill-after-step-3' });
      expect(dying.status).toBe(500);
      const second = await payFor(hold, user.accessToken, { key: 'in-flight-1' });
      expect([second.status, second.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_USE']);
      // The key's lease (30 s) ends then, and a retry resumes the payment or answers its end.
      const retryAfter = Number(second.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(25);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(second.body.retryAfter).toBe(retryAfter);
    });

    it("answers someone else's hold token with 404 and keeps no record of the attempt", async () => {
      const [alice, mallory] = await Promise.all([newUser(), newUser()]);
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, alice.accessToken, [seatIds[0]!]);
      const stolen = await payFor(hold, mallory.accessToken, { key: 'steal-1' });
      expect([stolen.status, stolen.body.code]).toEqual([404, 'HOLD_NOT_FOUND']);
      expect(await paymentsOfHold(hold.holdToken)).toEqual([]);
      expect((await payFor(hold, alice.accessToken, { key: 'steal-1' })).status).toBe(201);
    });
  });

  describe('the unique index', () => {
    it('refuses a second active reservation of a seat even when the actor is bypassed', async () => {
      const [alice, bob] = await Promise.all([newUser(), newUser()]);
      const { screeningId, seatIds } = await createScreening();
      const hold = await holdSeats(screeningId, alice.accessToken, [seatIds[0]!]);
      const paid = await payFor(hold, alice.accessToken);
      expect(paid.status).toBe(201);
      const [reservation] = await withDb((db) =>
        db
          .select()
          .from(reservationSeats)
          .where(and(eq(reservationSeats.seatId, seatIds[0]!), eq(reservationSeats.active, true))),
      );
      // Write a second sale of the same seat straight into Postgres, as a coordinator bug would.
      const { approveAndReserve } = await import('../../src/services/payment-settlement.ts');
      const { MockPaymentGateway } = await import('../../src/adapters/payment/mock-gateway.ts');
      const { problemBody } = await import('../../src/http/problem.ts');
      const { pricedSeatsOf } = await import('../../src/adapters/db/payment-repository.ts');
      const result = await withDb(async (db) => {
        const [payment] = await db
          .insert(payments)
          .values({
            memberId: bob.id,
            screeningId,
            holdToken: `forged-${crypto.randomUUID()}`,
            idempotencyKey: `forged-${crypto.randomUUID()}`,
            method: 'CARD',
            amount: 12000,
            seatIds: [seatIds[0]!],
          })
          .returning();
        const gateway = new MockPaymentGateway(() => db);
        await gateway.charge({ key: payment!.id, method: 'CARD', amount: 12000, cardNumber: CARDS.approve });
        // Straight to Postgres, no coordinator to fence or ask.
        const unfenced = {};
        const priced = await pricedSeatsOf(db, screeningId, [seatIds[0]!]);
        const reserved = await approveAndReserve(
          db,
          gateway,
          { payment: payment!, ...priced },
          unfenced,
          problemBody,
        );
        return {
          reserved,
          payment: payment!,
          ledger: await db.select().from(gatewayLedger).where(eq(gatewayLedger.idempotencyKey, payment!.id)),
        };
      });
      expect(result.reserved.ok).toBe(false);
      expect(result.ledger.map((row) => row.kind).sort()).toEqual(['CHARGE', 'REFUND']);
      expect((await paymentsOfHold(result.payment.holdToken))[0]?.status).toBe('REFUNDED');
      const active = await withDb((db) =>
        db
          .select()
          .from(reservationSeats)
          .where(and(eq(reservationSeats.seatId, seatIds[0]!), eq(reservationSeats.active, true))),
      );
      expect(active).toEqual([reservation]);
    });
  });
});

describe('reservations', () => {
  async function reserved(seatCount = 1, startTime?: Date) {
    const user = await newUser();
    const fixture = await createScreening({ startTime });
    const hold = await holdSeats(fixture.screeningId, user.accessToken, fixture.seatIds.slice(0, seatCount));
    const paid = await payFor(hold, user.accessToken);
    if (paid.status !== 201) throw new Error(JSON.stringify(paid.body));
    return { user, fixture, reservation: paid.body.reservation, payment: paid.body.payment };
  }

  it('lists the caller’s reservations newest first, a page at a time', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening();
    const numbers: string[] = [];
    for (const seatId of seatIds.slice(0, 3)) {
      const paid = await payFor(await holdSeats(screeningId, user.accessToken, [seatId]), user.accessToken);
      numbers.unshift(paid.body.reservation.reservationNo);
    }
    const first = await api('/api/reservations?limit=2', { token: user.accessToken });
    expect(first.body.items.map((item: any) => item.reservationNo)).toEqual(numbers.slice(0, 2));
    const second = await api(`/api/reservations?limit=2&cursor=${first.body.nextCursor}`, {
      token: user.accessToken,
    });
    expect(second.body.items.map((item: any) => item.reservationNo)).toEqual(numbers.slice(2));
    expect(second.body.nextCursor).toBeNull();
    expect((await api('/api/reservations?cursor=garbage', { token: user.accessToken })).status).toBe(400);
  });

  it('shows a reservation to its owner and an admin only (404 for anyone else)', async () => {
    const { reservation } = await reserved();
    const stranger = await newUser();
    const path = `/api/reservations/${reservation.reservationNo}`;
    expect((await api(path, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`${path}/cancel`, { method: 'POST', token: stranger.accessToken })).status).toBe(404);
    expect((await api(path, { token: (await admin()).accessToken })).status).toBe(200);
    expect((await api(path)).status).toBe(401);
    expect((await api('/api/reservations/MQ-000000-NOPE22', { token: stranger.accessToken })).status).toBe(
      404,
    );
  });

  it('cancels with a refund, frees the seats, and answers the same when cancelled again', async () => {
    const { user, fixture, reservation, payment } = await reserved(2);
    const path = `/api/reservations/${reservation.reservationNo}/cancel`;
    const cancelled = await api(path, { method: 'POST', token: user.accessToken });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({
      reservationNo: reservation.reservationNo,
      status: 'CANCELLED',
      refund: { status: 'REFUNDED', amount: payment.amount },
    });
    const statuses = await seatStatuses(fixture.screeningId);
    expect(statuses.get(fixture.seatIds[0]!)).toBe('AVAILABLE');
    expect((await ledgerOf(payment.id)).map((row) => row.kind).sort()).toEqual(['CHARGE', 'REFUND']);
    const again = await api(path, { method: 'POST', token: user.accessToken });
    expect([again.status, again.body]).toEqual([200, cancelled.body]);
    expect((await ledgerOf(payment.id)).filter((row) => row.kind === 'REFUND')).toHaveLength(1);
    const detail = await api(`/api/reservations/${reservation.reservationNo}`, { token: user.accessToken });
    expect(detail.body.status).toBe('CANCELLED');
  });

  it('lets an admin cancel anybody’s reservation', async () => {
    const { reservation } = await reserved();
    const cancelled = await api(`/api/reservations/${reservation.reservationNo}/cancel`, {
      method: 'POST',
      token: (await admin()).accessToken,
    });
    expect(cancelled.body.status).toBe('CANCELLED');
  });

  it('refuses to cancel within the cutoff before the start with 409 CANCELLATION_CLOSED', async () => {
    const { user, reservation, fixture } = await reserved(1, new Date(Date.now() + 10 * 60_000));
    const refused = await api(`/api/reservations/${reservation.reservationNo}/cancel`, {
      method: 'POST',
      token: user.accessToken,
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'CANCELLATION_CLOSED']);
    expect((await seatStatuses(fixture.screeningId)).get(fixture.seatIds[0]!)).toBe('RESERVED');
  });

  it('keeps a cancelled reservation’s seats until a refused refund goes through, on a repeat or the retry', async () => {
    const { user, fixture, reservation } = await reserved();
    const cancelled = await api(`/api/reservations/${reservation.reservationNo}/cancel`, {
      method: 'POST',
      token: user.accessToken,
      headers: { 'x-marquee-fault': 'refund-fails' },
    });
    expect(cancelled.body.refund.status).toBe('PENDING');
    expect((await seatStatuses(fixture.screeningId)).get(fixture.seatIds[0]!)).toBe('RESERVATION_CANCELLED');
    const retried = await api(`/api/reservations/${reservation.reservationNo}/cancel`, {
      method: 'POST',
      token: user.accessToken,
    });
    // A repeat asks the gateway again (as the coordinator's retry would): it goes through now.
    expect(retried.body.refund.status).toBe('REFUNDED');
    expect((await seatStatuses(fixture.screeningId)).get(fixture.seatIds[0]!)).toBe('AVAILABLE');
  });
});
