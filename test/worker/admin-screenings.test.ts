// Admin screenings over HTTP: scheduling (end time from the runtime, prices per seat type, the
// sales window, no overlap on a screen), the newest-first list, and deletion guarded by reservations.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { reservations, seats } from '../../src/adapters/db/schema.ts';
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

const UNKNOWN = '6f1c1a9e-2b1e-4b53-8f57-3d1f0b2a9c11';
const minutes = (iso: string, count: number) => new Date(Date.parse(iso) + count * 60_000).toISOString();

async function scene(rows = [{ label: 'A', seats: 6, type: 'STANDARD' }], runtimeMinutes = 100) {
  const movie = await createMovie({ runtimeMinutes });
  const { theater, screen } = await createVenue(rows);
  return { movie, theater, screen };
}

describe('admin: screenings', () => {
  describe('happy', () => {
    it('schedules a screening that ends after the runtime, with every seat available', async () => {
      const token = await adminToken();
      const { movie, theater, screen } = await scene(
        [
          { label: 'A', seats: 6, type: 'STANDARD' },
          { label: 'B', seats: 4, type: 'VIP' },
        ],
        137,
      );
      const startTime = `${daysAhead(40)}T11:00:00.000Z`;
      const salesOpenAt = `${daysAhead(2)}T00:00:00.000Z`;
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime,
        salesOpenAt,
        prices: { STANDARD: 12000, VIP: 20000, COUPLE: 0 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        movieId: movie.id,
        screenId: screen.id,
        theaterId: theater.id,
        startTime,
        endTime: minutes(startTime, 137),
        salesOpenAt,
        availableSeats: 10,
        prices: { STANDARD: 12000, VIP: 20000, COUPLE: 0 },
        waitingRoom: null,
        singleSeatGaps: 'ALLOW',
        createdAt: expect.any(String),
      });
      const read = await api(`/api/admin/screenings/${created.body.id}`, { token });
      expect([read.status, read.body]).toEqual([200, created.body]);
    });

    it('opens sales now when salesOpenAt is left out', async () => {
      const { movie, screen } = await scene();
      const before = Date.now();
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(41)}T11:00:00+09:00`,
        prices: { STANDARD: 1 },
      });
      expect(created.status).toBe(201);
      const opened = Date.parse(created.body.salesOpenAt);
      expect(opened).toBeGreaterThanOrEqual(before - 1000);
      expect(opened).toBeLessThanOrEqual(Date.now() + 1000);
      expect(created.body.startTime).toBe(`${daysAhead(41)}T02:00:00.000Z`);
    });

    it('does not count a seat that is out of order as available', async () => {
      const { movie, screen } = await scene([{ label: 'A', seats: 5, type: 'STANDARD' }]);
      const [broken] = screen.seats;
      await withDb((db) => db.update(seats).set({ disabled: true }).where(eq(seats.id, broken!.seatId)));
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(42)}T10:00:00Z`,
        prices: { STANDARD: 9000 },
      });
      expect(created.body.availableSeats).toBe(4);
    });

    it('allows back-to-back screenings and the same time on another screen', async () => {
      const { movie, screen } = await scene([{ label: 'A', seats: 2, type: 'STANDARD' }], 90);
      const other = (await createVenue([{ label: 'A', seats: 2, type: 'STANDARD' }])).screen;
      const first = `${daysAhead(43)}T10:00:00.000Z`;
      const at = (screenId: string, startTime: string) =>
        scheduleScreening({ movieId: movie.id, screenId, startTime, prices: { STANDARD: 9000 } });
      expect((await at(screen.id, first)).status).toBe(201);
      expect((await at(screen.id, minutes(first, 90))).status).toBe(201);
      expect((await at(screen.id, minutes(first, -90))).status).toBe(201);
      expect((await at(other.id, first)).status).toBe(201);
    });

    it('lists screenings newest first and filters by screen and movie', async () => {
      const token = await adminToken();
      const { movie, screen } = await scene([{ label: 'A', seats: 2, type: 'STANDARD' }], 30);
      const ids: string[] = [];
      for (const hour of ['09', '12', '15']) {
        const created = await scheduleScreening({
          movieId: movie.id,
          screenId: screen.id,
          startTime: `${daysAhead(44)}T${hour}:00:00Z`,
          prices: { STANDARD: 9000 },
        });
        ids.push(created.body.id);
      }
      const { items } = await walk(`/api/admin/screenings?screenId=${screen.id}`, 1, () => false, token);
      expect(items.map((item) => item.id)).toEqual([...ids].reverse());
      expect(items[0].prices).toEqual({ STANDARD: 9000 });
      const byMovie = await api(`/api/admin/screenings?movieId=${movie.id}&limit=2`, { token });
      expect(byMovie.body.items.map((item: any) => item.id)).toEqual([ids[2], ids[1]]);
      expect(byMovie.body.nextCursor).toEqual(expect.any(String));
    });

    it('deletes a screening without reservations', async () => {
      const token = await adminToken();
      const { movie, screen } = await scene();
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(45)}T10:00:00Z`,
        prices: { STANDARD: 9000 },
      });
      const path = `/api/admin/screenings/${created.body.id}`;
      expect((await api(path, { method: 'DELETE', token })).status).toBe(204);
      expect((await api(path, { token })).status).toBe(404);
      expect((await api(`/api/screenings/${created.body.id}`)).status).toBe(404);
      expect((await api(path, { method: 'DELETE', token })).status).toBe(404);
      // The slot is free again, and the movie can go now.
      const again = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(45)}T10:00:00Z`,
        prices: { STANDARD: 9000 },
      });
      expect(again.status).toBe(201);
    });
  });

  describe('errors', () => {
    it('refuses an overlap on the same screen with 409 SCREENING_OVERLAP', async () => {
      const { movie, screen } = await scene([{ label: 'A', seats: 2, type: 'STANDARD' }], 100);
      const start = `${daysAhead(46)}T10:00:00.000Z`;
      const at = (startTime: string) =>
        scheduleScreening({ movieId: movie.id, screenId: screen.id, startTime, prices: { STANDARD: 9000 } });
      expect((await at(start)).status).toBe(201);
      for (const startTime of [start, minutes(start, 99), minutes(start, -99), minutes(start, 30)]) {
        const clash = await at(startTime);
        expect([startTime, clash.status, clash.body.code]).toEqual([startTime, 409, 'SCREENING_OVERLAP']);
      }
    });

    it('refuses invalid bodies with 400 VALIDATION_FAILED naming the field', async () => {
      const { movie, screen } = await scene([
        { label: 'A', seats: 2, type: 'STANDARD' },
        { label: 'B', seats: 2, type: 'VIP' },
      ]);
      const startTime = `${daysAhead(47)}T10:00:00Z`;
      const valid = {
        movieId: movie.id,
        screenId: screen.id,
        startTime,
        prices: { STANDARD: 9000, VIP: 15000 },
      };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...valid, extra: true }, '(body)'],
        [{ ...valid, endTime: startTime }, '(body)'],
        [{ ...valid, prices: { STANDARD: 9000 } }, 'prices.VIP'],
        [{ ...valid, prices: { STANDARD: -1, VIP: 1 } }, 'prices.STANDARD'],
        [{ ...valid, prices: { STANDARD: 9000.5, VIP: 1 } }, 'prices.STANDARD'],
        [{ ...valid, prices: { STANDARD: '9000', VIP: 1 } }, 'prices.STANDARD'],
        [{ ...valid, prices: { ...valid.prices, LOUNGE: 1 } }, 'prices'],
        [{ ...valid, startTime: 'tomorrow' }, 'startTime'],
        [{ ...valid, startTime: `${daysAhead(47)}T10:00:00` }, 'startTime'],
        [{ ...valid, salesOpenAt: `${daysAhead(47)}T10:00:01Z` }, 'salesOpenAt'],
        [{ ...valid, startTime: '2020-01-01T10:00:00Z' }, 'salesOpenAt'],
        [{ ...valid, movieId: 'abc' }, 'movieId'],
        [{ ...valid, screenId: undefined }, 'screenId'],
      ];
      for (const [body, path] of cases) {
        const response = await scheduleScreening(body);
        expect([path, response.status, response.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
        expect(response.body.errors.map((error: any) => error.path)).toContain(path);
      }
      const listed = await api(`/api/screenings?movieId=${movie.id}`);
      expect(listed.body.items).toEqual([]);
    });

    it('answers 404 for an unknown movie or screen, 400 for malformed ids', async () => {
      const token = await adminToken();
      const { movie, screen } = await scene();
      const body = {
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(48)}T10:00:00Z`,
        prices: { STANDARD: 1 },
      };
      for (const wrong of [{ movieId: UNKNOWN }, { screenId: UNKNOWN }]) {
        const response = await scheduleScreening({ ...body, ...wrong });
        expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
      }
      for (const method of ['GET', 'DELETE']) {
        expect((await api(`/api/admin/screenings/${UNKNOWN}`, { method, token })).status).toBe(404);
        expect((await api('/api/admin/screenings/12', { method, token })).status).toBe(400);
      }
      const badFilter = await api('/api/admin/screenings?screenId=x', { token });
      expect([badFilter.status, badFilter.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('refuses to delete a screening that has a reservation (409 RESOURCE_IN_USE)', async () => {
      const token = await adminToken();
      const { movie, screen } = await scene();
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(49)}T10:00:00Z`,
        prices: { STANDARD: 9000 },
      });
      const [member] = await fastMembers(1);
      await withDb((db) =>
        db.insert(reservations).values({
          reservationNo: `T-${tag()}`,
          memberId: member!.id,
          screeningId: created.body.id,
          holdToken: `hold-${tag()}`,
          status: 'CANCELLED',
          totalAmount: 0,
          seatCount: 1,
        }),
      );
      const refused = await api(`/api/admin/screenings/${created.body.id}`, { method: 'DELETE', token });
      expect([refused.status, refused.body.code]).toEqual([409, 'RESOURCE_IN_USE']);
      expect((await api(`/api/screenings/${created.body.id}`)).status).toBe(200);
    });
  });
});
