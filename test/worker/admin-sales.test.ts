// Admin views of sales over HTTP: reservations in the contract's shape and payment attempts, newest
// first. Rows are written straight into Postgres: these routes only read.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { payments, reservationSeats, reservations } from '../../src/adapters/db/schema.ts';
import {
  adminToken,
  createMovie,
  createVenue,
  daysAhead,
  scheduleScreening,
  tag,
  walk,
} from './catalog-helpers.ts';
import { fastMembers, withDb } from './fixtures.ts';
import { api } from './helpers.ts';

/** A screening with two reservations (CONFIRMED then, a minute later, CANCELLED) and their payments. */
async function soldScreening() {
  const movie = await createMovie({ runtimeMinutes: 80 });
  const { theater, screen } = await createVenue([
    { label: 'A', seats: 3, type: 'STANDARD' },
    { label: 'B', seats: 2, type: 'VIP' },
  ]);
  const startTime = `${daysAhead(50)}T10:00:00.000Z`;
  const screening = (
    await scheduleScreening({
      movieId: movie.id,
      screenId: screen.id,
      startTime,
      prices: { STANDARD: 12000, VIP: 20000 },
    })
  ).body;
  const [member] = await fastMembers(1);
  const [a1, a2, , b1] = screen.seats;
  const now = Date.now();
  const sales = [
    { no: `C-${tag()}`, status: 'CONFIRMED', seats: [b1!, a1!], prices: [20000, 12000], at: now - 60_000 },
    { no: `X-${tag()}`, status: 'CANCELLED', seats: [a2!], prices: [12000], at: now },
  ] as const;
  const ids = await withDb(async (db) => {
    const made: { reservationId: string; approvedId: string; declinedId: string }[] = [];
    for (const sale of sales) {
      const total = sale.prices.reduce((sum, price) => sum + price, 0);
      const [reservation] = await db
        .insert(reservations)
        .values({
          reservationNo: sale.no,
          memberId: member!.id,
          screeningId: screening.id,
          holdToken: `hold-${tag()}`,
          status: sale.status,
          totalAmount: total,
          seatCount: sale.seats.length,
          createdAt: new Date(sale.at),
        })
        .returning();
      await db.insert(reservationSeats).values(
        sale.seats.map((seat, index) => ({
          reservationId: reservation!.id,
          screeningId: screening.id,
          seatId: seat.seatId,
          price: sale.prices[index]!,
          active: sale.status === 'CONFIRMED',
        })),
      );
      const payment = (status: 'APPROVED' | 'DECLINED', reservationId: string | null, offset: number) => ({
        memberId: member!.id,
        screeningId: screening.id,
        reservationId,
        holdToken: `hold-${tag()}`,
        idempotencyKey: `key-${tag()}`,
        method: 'CARD' as const,
        amount: total,
        status,
        seatIds: sale.seats.map((seat) => seat.seatId),
        createdAt: new Date(sale.at + offset),
      });
      const [declined] = await db
        .insert(payments)
        .values(payment('DECLINED', null, -10_000))
        .returning();
      const [approved] = await db
        .insert(payments)
        .values(payment('APPROVED', reservation!.id, 0))
        .returning();
      made.push({ reservationId: reservation!.id, approvedId: approved!.id, declinedId: declined!.id });
    }
    return made;
  });
  return { movie, theater, screen, screening, member: member!, sales, ids, startTime, a1, b1 };
}

describe('admin: reservations', () => {
  describe('happy', () => {
    it("lists a screening's reservations newest first in the contract's shape", async () => {
      const token = await adminToken();
      const sold = await soldScreening();
      const page = await api(`/api/admin/reservations?screeningId=${sold.screening.id}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.nextCursor).toBeNull();
      expect(page.body.items.map((item: any) => item.reservationNo)).toEqual([
        sold.sales[1].no,
        sold.sales[0].no,
      ]);
      expect(page.body.items[1]).toEqual({
        reservationNo: sold.sales[0].no,
        status: 'CONFIRMED',
        screeningId: sold.screening.id,
        seatIds: [sold.a1!.seatId, sold.b1!.seatId],
        seats: [
          { seatId: sold.a1!.seatId, rowLabel: 'A', seatNo: 1, type: 'STANDARD', price: 12000 },
          { seatId: sold.b1!.seatId, rowLabel: 'B', seatNo: 1, type: 'VIP', price: 20000 },
        ],
        movieTitle: sold.movie.title,
        theaterName: sold.theater.name,
        screenName: sold.screen.name,
        startTime: sold.startTime,
        totalAmount: 32000,
        createdAt: expect.any(String),
        memberId: sold.member.id,
        buyerLoginId: sold.member.loginId,
      });
    });

    it('filters by status and pages one at a time', async () => {
      const token = await adminToken();
      const sold = await soldScreening();
      const base = `/api/admin/reservations?screeningId=${sold.screening.id}`;
      const confirmed = await api(`${base}&status=CONFIRMED`, { token });
      expect(confirmed.body.items.map((item: any) => item.reservationNo)).toEqual([sold.sales[0].no]);
      const cancelled = await api(`${base}&status=CANCELLED`, { token });
      expect(cancelled.body.items.map((item: any) => [item.reservationNo, item.status])).toEqual([
        [sold.sales[1].no, 'CANCELLED'],
      ]);
      const { items } = await walk(base, 1, () => false, token);
      expect(items.map((item) => item.reservationNo)).toEqual([sold.sales[1].no, sold.sales[0].no]);
    });

    it('pages through reservations made within one millisecond, and ties, without losing any', async () => {
      const token = await adminToken();
      const sold = await soldScreening();
      const [member] = await fastMembers(1);
      const stamps = ['00.000100', '00.000200', '00.000200', '00.000300'];
      const numbers = await withDb(async (db) => {
        const made: string[] = [];
        for (const stamp of stamps) {
          const reservationNo = `M-${tag()}`;
          await db.insert(reservations).values({
            reservationNo,
            memberId: member!.id,
            screeningId: sold.screening.id,
            holdToken: `hold-${tag()}`,
            totalAmount: 0,
            seatCount: 1,
            createdAt: sql`${`2020-01-01T00:00:${stamp}Z`}::timestamptz` as unknown as Date,
          });
          made.push(reservationNo);
        }
        return made;
      });
      const { items } = await walk(
        `/api/admin/reservations?screeningId=${sold.screening.id}`,
        1,
        () => false,
        token,
      );
      const old = items.map((item) => item.reservationNo).filter((no) => no.startsWith('M-'));
      expect(old).toHaveLength(4);
      expect(new Set(old)).toEqual(new Set(numbers));
      expect([old[0], old[3]]).toEqual([numbers[3], numbers[0]]);
      expect(items.map((item) => item.seats)).toContainEqual([]);
    });
  });

  describe('errors', () => {
    it('refuses a bad status, screening id or cursor with 400 VALIDATION_FAILED', async () => {
      const token = await adminToken();
      for (const query of ['status=PENDING', 'screeningId=nope', 'cursor=***', 'limit=1000']) {
        const response = await api(`/api/admin/reservations?${query}`, { token });
        expect([query, response.status, response.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
    });
  });
});

describe('admin: payments', () => {
  describe('happy', () => {
    it('lists payment attempts newest first, with their reservation numbers', async () => {
      const token = await adminToken();
      const sold = await soldScreening();
      const mine = new Set(sold.ids.flatMap((made) => [made.approvedId, made.declinedId]));
      const { items } = await walk(
        '/api/admin/payments',
        2,
        (seen) => seen.filter((payment) => mine.has(payment.id)).length === 4,
        token,
      );
      const ours = items.filter((payment) => mine.has(payment.id));
      expect(ours.map((payment) => payment.id)).toEqual([
        sold.ids[1]!.approvedId,
        sold.ids[1]!.declinedId,
        sold.ids[0]!.approvedId,
        sold.ids[0]!.declinedId,
      ]);
      expect(ours[2]).toEqual({
        id: sold.ids[0]!.approvedId,
        status: 'APPROVED',
        amount: 32000,
        method: 'CARD',
        reservationNo: sold.sales[0].no,
        screeningId: sold.screening.id,
        memberId: sold.member.id,
        createdAt: new Date(Date.parse(ours[2].createdAt)).toISOString(),
      });
      expect(ours[3].reservationNo).toBeNull();
      const createdAt = items.map((payment) => Date.parse(payment.createdAt));
      expect([...createdAt].sort((a, b) => b - a)).toEqual(createdAt);
    });

    it('filters by status', async () => {
      const token = await adminToken();
      const sold = await soldScreening();
      const declinedIds = new Set(sold.ids.map((made) => made.declinedId));
      const { items } = await walk(
        '/api/admin/payments?status=DECLINED',
        100,
        (seen) => seen.filter((payment) => declinedIds.has(payment.id)).length === 2,
        token,
      );
      expect(items.every((payment) => payment.status === 'DECLINED')).toBe(true);
      expect(items.filter((payment) => declinedIds.has(payment.id))).toHaveLength(2);
      expect(items.some((payment) => payment.id === sold.ids[0]!.approvedId)).toBe(false);
    });
  });

  describe('errors', () => {
    it('refuses an unknown status or a bad cursor', async () => {
      const token = await adminToken();
      for (const query of ['status=LOST', 'cursor=a', 'limit=0']) {
        const response = await api(`/api/admin/payments?${query}`, { token });
        expect([query, response.status, response.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
    });
  });
});
