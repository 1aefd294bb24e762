// The admin sales reports over HTTP, against a history written straight into Postgres in March 2012
// (no other test touches those days), where every figure is known by construction. TIMEZONE is
// Asia/Seoul (UTC+9): a reservation at 15:00 UTC belongs to the next day. The per-screening report
// is checked on a screening sold, refunded, held and blocked through the API.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  movies,
  payments,
  refunds,
  reservationSeats,
  reservations,
  screeningSeatStates,
  screenings,
} from '../../src/adapters/db/schema.ts';
import {
  adminToken,
  createMovie,
  createVenue,
  daysAhead,
  scheduleScreening,
  tag,
} from './catalog-helpers.ts';
import { fastMembers, holdSeats, payFor, withDb } from './fixtures.ts';
import { api, newUser } from './helpers.ts';

const STANDARD = 10_000;
const VIP = 20_000;
const at = (iso: string) => new Date(iso);
/** A1-A4 STANDARD, B1-B2 VIP. */
const ROWS = [
  { label: 'A', seats: 4, type: 'STANDARD' },
  { label: 'B', seats: 2, type: 'VIP' },
];

let titles: { a: string; b: string };
let movieIds: { a: string; b: string };

/**
 * Screen: A1-A4 STANDARD, B1-B2 VIP. S1 (movie A) and S2 (movie B) start inside 2012-03-10..12 KST,
 * S0 (movie A) after it. Times are UTC; the KST day each one counts on is noted.
 */
async function seedHistory() {
  const venue = await createVenue(ROWS);
  const [a1, a2, a3, a4, b1, b2] = venue.screen.seats.map((seat) => seat.seatId) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [member] = await fastMembers(1);
  const memberId = member!.id;
  await withDb(async (db) => {
    titles = { a: `=Report A ${tag()}`, b: `Report, "B" ${tag()}` };
    const [movieA, movieB] = await db
      .insert(movies)
      .values([
        { title: titles.a, runtimeMinutes: 100, rating: 'ALL', status: 'ENDED' },
        { title: titles.b, runtimeMinutes: 100, rating: 'ALL', status: 'ENDED' },
      ])
      .returning();
    movieIds = { a: movieA!.id, b: movieB!.id };
    const screening = async (movieId: string, start: string) => {
      const startTime = at(start);
      const [row] = await db
        .insert(screenings)
        .values({
          movieId,
          screenId: venue.screen.id,
          startTime,
          endTime: new Date(startTime.getTime() + 100 * 60_000),
          salesOpenAt: at('2012-01-01T00:00:00Z'),
          prices: { STANDARD, VIP },
        })
        .returning();
      return row!.id;
    };
    const s1 = await screening(movieIds.a, '2012-03-11T11:00:00Z');
    const s2 = await screening(movieIds.b, '2012-03-12T10:00:00Z');
    const s0 = await screening(movieIds.a, '2012-03-20T10:00:00Z');

    const sell = async (sale: {
      screeningId: string;
      seats: [string, number][];
      approvedAt: string;
      cancelledAt?: string;
      refundedAt?: string;
    }) => {
      const amount = sale.seats.reduce((sum, [, price]) => sum + price, 0);
      const cancelled = sale.cancelledAt !== undefined;
      const refunded = sale.refundedAt !== undefined;
      const [reservation] = await db
        .insert(reservations)
        .values({
          reservationNo: `R-${tag()}`,
          memberId,
          screeningId: sale.screeningId,
          holdToken: `hold-${tag()}`,
          status: cancelled ? 'CANCELLED' : 'CONFIRMED',
          totalAmount: amount,
          seatCount: sale.seats.length,
          createdAt: at(sale.approvedAt),
          cancelledAt: cancelled ? at(sale.cancelledAt!) : null,
        })
        .returning();
      await db.insert(reservationSeats).values(
        sale.seats.map(([seatId, price]) => ({
          reservationId: reservation!.id,
          screeningId: sale.screeningId,
          seatId,
          price,
          active: !refunded,
        })),
      );
      const [payment] = await db
        .insert(payments)
        .values({
          memberId,
          screeningId: sale.screeningId,
          reservationId: reservation!.id,
          holdToken: reservation!.holdToken,
          idempotencyKey: `key-${tag()}`,
          method: 'CARD',
          amount,
          status: refunded ? 'REFUNDED' : 'APPROVED',
          seatIds: sale.seats.map(([seatId]) => seatId),
          createdAt: at(sale.approvedAt),
        })
        .returning();
      if (cancelled)
        await db.insert(refunds).values({
          paymentId: payment!.id,
          reservationId: reservation!.id,
          amount,
          status: refunded ? 'REFUNDED' : 'PENDING',
          createdAt: at(sale.cancelledAt!),
          completedAt: refunded ? at(sale.refundedAt!) : null,
        });
    };

    // 03-10 KST: R1 and R2 (23:59 KST, the last minute of the day).
    await sell({
      screeningId: s1,
      seats: [
        [a1, STANDARD],
        [a2, STANDARD],
      ],
      approvedAt: '2012-03-10T02:00:00Z',
    });
    await sell({ screeningId: s1, seats: [[b1, VIP]], approvedAt: '2012-03-10T14:59:00Z' });
    // 03-11 KST, though 03-10 in UTC: R3, cancelled 03-12 01:00 KST and refunded 03-12 10:00 KST.
    await sell({
      screeningId: s2,
      seats: [[a1, STANDARD]],
      approvedAt: '2012-03-10T15:00:00Z',
      cancelledAt: '2012-03-11T16:00:00Z',
      refundedAt: '2012-03-12T01:00:00Z',
    });
    // 03-11 KST: R4, cancelled the same day, its refund still pending (seats still taken, no money back yet).
    await sell({
      screeningId: s2,
      seats: [
        [b1, VIP],
        [b2, VIP],
      ],
      approvedAt: '2012-03-11T03:00:00Z',
      cancelledAt: '2012-03-11T05:00:00Z',
    });
    // Outside the range: 03-09 23:59 KST (for S1, inside the range) and 03-13 00:00 KST (for S0).
    await sell({ screeningId: s1, seats: [[a3, STANDARD]], approvedAt: '2012-03-09T14:59:00Z' });
    await sell({ screeningId: s0, seats: [[a1, STANDARD]], approvedAt: '2012-03-12T15:00:00Z' });
    // A declined attempt moves no money.
    await db.insert(payments).values({
      memberId,
      screeningId: s2,
      holdToken: `hold-${tag()}`,
      idempotencyKey: `key-${tag()}`,
      method: 'CARD',
      amount: STANDARD,
      status: 'DECLINED',
      seatIds: [a2],
      createdAt: at('2012-03-11T04:00:00Z'),
    });
    // S2's A4 is blocked: not on sale.
    await db
      .insert(screeningSeatStates)
      .values({ screeningId: s2, seatId: a4, status: 'BLOCKED', reason: 'test' });
  });
}

const report = async <T = any>(path: string, headers: Record<string, string> = {}) =>
  api<T>(`/api/admin/reports/${path}`, { token: await adminToken(), headers });

beforeAll(seedHistory);

describe('sales over a range of days in TIMEZONE', () => {
  it('sums money when it moved: approvals by approval time, refunds by refund time', async () => {
    const summary = await report('summary?from=2012-03-10&to=2012-03-12');
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    // S1 sold A1, A2, B1, A3; S2 holds B1, B2 (refund pending); S2's A4 blocked: 6 of 11 on sale.
    expect(summary.body).toEqual({
      from: '2012-03-10',
      to: '2012-03-12',
      revenue: 90_000,
      refunds: 10_000,
      netRevenue: 80_000,
      reservations: 4,
      cancellations: 2,
      seatsSold: 6,
      occupancy: 6 / 11,
    });
  });

  it('lists every day of the range, zeros included, with a sale and its refund on different days', async () => {
    const daily = await report('daily-sales?from=2012-03-08&to=2012-03-14');
    expect(daily.status).toBe(200);
    const zero = { revenue: 0, refunds: 0, reservations: 0, seatsSold: 0 };
    expect(daily.body.items).toEqual([
      { date: '2012-03-08', ...zero },
      { date: '2012-03-09', revenue: 10_000, refunds: 0, reservations: 1, seatsSold: 1 },
      { date: '2012-03-10', revenue: 40_000, refunds: 0, reservations: 2, seatsSold: 3 },
      { date: '2012-03-11', revenue: 50_000, refunds: 0, reservations: 2, seatsSold: 3 },
      { date: '2012-03-12', ...zero, refunds: 10_000 },
      { date: '2012-03-13', revenue: 10_000, refunds: 0, reservations: 1, seatsSold: 1 },
      { date: '2012-03-14', ...zero },
    ]);
  });

  it('cuts days at midnight in TIMEZONE, not UTC', async () => {
    // 2012-03-10 UTC would hold R1, R2 and R3; in Seoul R3 (15:00 UTC) is already 03-11.
    const day = await report('summary?from=2012-03-10&to=2012-03-10');
    expect(day.body).toMatchObject({ revenue: 40_000, reservations: 2, seatsSold: 3, cancellations: 0 });
    // No screening starts that day.
    expect(day.body.occupancy).toBe(0);
  });

  it('ranks movies by revenue, highest first, within the limit', async () => {
    const top = await report('top-movies?from=2012-03-10&to=2012-03-12');
    expect(top.status).toBe(200);
    expect(top.body.items).toEqual([
      { movieId: movieIds.b, title: titles.b, revenue: 50_000, seatsSold: 3 },
      { movieId: movieIds.a, title: titles.a, revenue: 40_000, seatsSold: 3 },
    ]);
    const first = await report('top-movies?from=2012-03-10&to=2012-03-12&limit=1');
    expect(first.body.items.map((item: { movieId: string }) => item.movieId)).toEqual([movieIds.b]);
  });

  it('defaults both days to today', async () => {
    const today = await report('summary');
    expect(today.status).toBe(200);
    expect(today.body.from).toBe(today.body.to);
    expect(today.body.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('CSV', () => {
  it('answers daily sales as CSV when asked: a header row, then one line per day', async () => {
    const csv = await report<string>('daily-sales?from=2012-03-10&to=2012-03-12', { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('daily-sales-2012-03-10-to-2012-03-12.csv');
    expect(csv.body).toBe(
      [
        'date,revenue,refunds,reservations,seatsSold',
        '2012-03-10,40000,0,2,3',
        '2012-03-11,50000,0,2,3',
        '2012-03-12,0,10000,0,0',
        '',
      ].join('\r\n'),
    );
  });

  it('quotes titles with commas and quotes, and defuses spreadsheet formulas', async () => {
    const csv = await report<string>('top-movies?from=2012-03-10&to=2012-03-12', {
      accept: 'text/csv, application/json;q=0.5',
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const escaped = titles.b.replaceAll('"', '""');
    expect(csv.body).toBe(
      [
        'movieId,title,revenue,seatsSold',
        `${movieIds.b},"${escaped}",50000,3`,
        `${movieIds.a},'${titles.a},40000,3`,
        '',
      ].join('\r\n'),
    );
  });

  it('answers JSON to anything else', async () => {
    const json = await report('daily-sales?from=2012-03-10&to=2012-03-10', { accept: 'application/json' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.body.items).toHaveLength(1);
  });
});

describe('errors', () => {
  it('allows 366 days and refuses 367', async () => {
    expect((await report('summary?from=2012-01-01&to=2012-12-31')).status).toBe(200);
    const long = await report('daily-sales?from=2012-01-01&to=2013-01-01');
    expect(long.status).toBe(400);
    expect(long.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(long.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'to' }] });
  });

  it.each([
    ['summary?from=2012-03-12&to=2012-03-10', 'to'],
    ['summary?from=2012-02-30', 'from'],
    ['daily-sales?to=yesterday', 'to'],
    ['top-movies?limit=0', 'limit'],
    ['top-movies?limit=101', 'limit'],
  ])('refuses %s with 400 naming %s', async (path, field) => {
    const refused = await report(path);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it('answers 404 for a screening that does not exist', async () => {
    const missing = await report(`screenings/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    expect((await report('screenings/not-a-uuid')).status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('describes the four reports, admin only, with CSV where it is offered', async () => {
    const doc = (await api('/openapi.json')).body;
    const get = (path: string) => doc.paths[`/api/admin/reports/${path}`]?.get;
    const operations = ['summary', 'daily-sales', 'top-movies', 'screenings/{id}'].map(get);
    expect(operations.map((operation) => operation?.operationId)).toEqual([
      'getSalesSummary',
      'getDailySales',
      'getTopMovies',
      'getScreeningReport',
    ]);
    for (const operation of operations) expect(operation['x-auth']).toBe('admin');
    const csv = (path: string) => Object.keys(get(path).responses['200'].content);
    expect(csv('daily-sales')).toEqual(['application/json', 'text/csv']);
    expect(csv('top-movies')).toEqual(['application/json', 'text/csv']);
    expect(csv('summary')).toEqual(['application/json']);
  });
});

describe('security', () => {
  const paths = () => ['summary', 'daily-sales', 'top-movies', `screenings/${crypto.randomUUID()}`];

  it('refuses anonymous callers with 401 and members with 403', async () => {
    const member = await newUser('reports');
    for (const path of paths()) {
      expect((await api(`/api/admin/reports/${path}`)).status, path).toBe(401);
      const forbidden = await api(`/api/admin/reports/${path}`, { token: member.accessToken });
      expect(forbidden.status, path).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    }
  });
});

describe('one screening', () => {
  it('combines what is sold (Postgres) with what is held and blocked now (the coordinator)', async () => {
    const movie = await createMovie({ runtimeMinutes: 90 });
    const { screen } = await createVenue(ROWS);
    const scheduled = await scheduleScreening({
      movieId: movie.id,
      screenId: screen.id,
      startTime: `${daysAhead(40)}T10:00:00.000Z`,
      prices: { STANDARD: 12_000, VIP: 20_000 },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const screeningId: string = scheduled.body.id;
    const [a1, a2, a3, a4, b1] = screen.seats.map((seat) => seat.seatId);
    const buyer = await newUser('buyer');

    // Sold: A1 and A2. Sold and refunded: B1. Held: A3. Blocked: A4.
    expect(
      (await payFor(await holdSeats(screeningId, buyer.accessToken, [a1!, a2!]), buyer.accessToken)).status,
    ).toBe(201);
    const refunded = await payFor(await holdSeats(screeningId, buyer.accessToken, [b1!]), buyer.accessToken);
    const cancel = await api(`/api/reservations/${refunded.body.reservation.reservationNo}/cancel`, {
      method: 'POST',
      token: buyer.accessToken,
    });
    expect(cancel.body.refund.status).toBe('REFUNDED');
    await holdSeats(screeningId, buyer.accessToken, [a3!]);
    const blocked = await api(`/api/admin/screenings/${screeningId}/seats/block`, {
      method: 'POST',
      token: await adminToken(),
      body: { seatIds: [a4], reason: 'broken armrest' },
    });
    expect(blocked.status).toBe(200);

    const seen = await report(`screenings/${screeningId}`);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body).toEqual({
      screeningId,
      seatsTotal: 6,
      seatsSold: 2,
      seatsHeld: 1,
      seatsBlocked: 1,
      revenue: 24_000,
      byType: [
        { type: 'STANDARD', total: 4, sold: 2, revenue: 24_000 },
        { type: 'VIP', total: 2, sold: 0, revenue: 0 },
      ],
    });
  });
});
