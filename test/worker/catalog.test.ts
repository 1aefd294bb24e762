// The public catalog over HTTP: movies, theaters and screenings, their pages and filters, and the
// calendar day of `?date=` in TIMEZONE (Asia/Seoul, UTC+9, in wrangler.toml).
import { describe, expect, it } from 'vitest';
import {
  createMovie,
  createScreen,
  createTheater,
  createVenue,
  daysAhead,
  scheduleScreening,
  tag,
  walk,
} from './catalog-helpers.ts';
import { api } from './helpers.ts';

const byTitleThenId = (a: any, b: any) =>
  a.title === b.title ? (a.id < b.id ? -1 : 1) : a.title < b.title ? -1 : 1;

describe('catalog: movies', () => {
  describe('happy', () => {
    it('lists movies by title across pages of one and two, without repeats', async () => {
      const prefix = `000 ${tag()}`;
      const made = [];
      for (const suffix of ['C', 'A', 'B']) made.push(await createMovie({ title: `${prefix} ${suffix}` }));
      const mine = (items: any[]) => items.filter((item) => item.title.startsWith(prefix));
      for (const limit of [1, 2]) {
        const { items } = await walk('/api/movies', limit, (seen) => mine(seen).length === 3);
        expect(mine(items).map((movie) => movie.title)).toEqual(['A', 'B', 'C'].map((s) => `${prefix} ${s}`));
        expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
        expect([...items].sort(byTitleThenId)).toEqual(items);
      }
      const [a] = mine((await walk('/api/movies', 100, (seen) => mine(seen).length === 3)).items);
      expect(a).toEqual({ ...made[1], title: `${prefix} A` });
    });

    it('filters by status', async () => {
      const upcoming = await createMovie({ status: 'UPCOMING', title: `000 ${tag()} soon` });
      const { items } = await walk('/api/movies?status=UPCOMING', 100, (seen) =>
        seen.some((movie) => movie.id === upcoming.id),
      );
      expect(items.some((movie) => movie.id === upcoming.id)).toBe(true);
      expect(items.every((movie) => movie.status === 'UPCOMING')).toBe(true);
      const showing = await api('/api/movies?status=SHOWING&limit=100');
      expect(showing.body.items.some((movie: any) => movie.id === upcoming.id)).toBe(false);
    });

    it('answers one movie', async () => {
      const movie = await createMovie({ rating: '19', runtimeMinutes: 131 });
      const found = await api(`/api/movies/${movie.id}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual({
        id: movie.id,
        title: movie.title,
        runtimeMinutes: 131,
        rating: '19',
        status: 'SHOWING',
        posterUrl: null,
      });
    });
  });

  describe('errors', () => {
    it('answers 404 for an unknown or malformed id', async () => {
      for (const id of ['6f1c1a9e-2b1e-4b53-8f57-3d1f0b2a9c11', 'not-a-uuid', '1']) {
        const response = await api(`/api/movies/${id}`);
        expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
      }
    });

    it('refuses a bad status, limit or cursor with 400 VALIDATION_FAILED', async () => {
      for (const query of [
        'status=SOON',
        'limit=0',
        'limit=101',
        'limit=abc',
        'cursor=!!!',
        'cursor=bm90LWpzb24',
        `cursor=${btoa(JSON.stringify(['x', 'not-a-uuid'])).replace(/=+$/, '')}`,
      ]) {
        const response = await api(`/api/movies?${query}`);
        expect([query, response.status, response.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
        expect(response.body.errors.length).toBeGreaterThan(0);
      }
    });
  });
});

describe('catalog: theaters', () => {
  describe('happy', () => {
    it('lists theaters by name with their screens and seat counts, page by page', async () => {
      const prefix = `000 ${tag()}`;
      const second = await createTheater(`${prefix} B`);
      const first = await createTheater(`${prefix} A`);
      const big = await createScreen(first.id, [
        { label: 'A', seats: 10, type: 'STANDARD' },
        { label: 'B', seats: 6, type: 'VIP' },
      ]);
      const small = await createScreen(first.id, [{ label: 'A', seats: 3, type: 'WHEELCHAIR' }]);
      const mine = (items: any[]) => items.filter((item) => item.name.startsWith(prefix));
      const { items } = await walk('/api/theaters', 1, (seen) => mine(seen).length === 2);
      expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
      const names = items.map((item) => item.name);
      expect([...names].sort()).toEqual(names);
      const screens = [
        { id: big.id, name: big.name, seatCount: 16 },
        { id: small.id, name: small.name, seatCount: 3 },
      ].sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(mine(items)).toEqual([
        { id: first.id, name: `${prefix} A`, timeZone: 'Asia/Seoul', screens },
        { id: second.id, name: `${prefix} B`, timeZone: 'Asia/Seoul', screens: [] },
      ]);
    });
  });

  describe('errors', () => {
    it('refuses a malformed cursor', async () => {
      const response = await api('/api/theaters?cursor=%%%');
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
});

describe('catalog: screenings', () => {
  describe('happy', () => {
    it('lists a movie’s screenings by start time, one per page', async () => {
      const movie = await createMovie({ runtimeMinutes: 60 });
      const { theater, screen } = await createVenue();
      const day = daysAhead(30);
      const ids: string[] = [];
      for (const time of ['18:00', '10:00', '14:00']) {
        const created = await scheduleScreening({
          movieId: movie.id,
          screenId: screen.id,
          startTime: `${day}T${time}:00+09:00`,
          prices: { STANDARD: 9000 },
        });
        expect(created.status).toBe(201);
        ids.push(created.body.id);
      }
      const { items, cursor } = await walk(`/api/screenings?movieId=${movie.id}`, 1, () => false);
      expect(cursor).toBeNull();
      expect(items.map((item) => item.id)).toEqual([ids[1], ids[2], ids[0]]);
      expect(items[0]).toEqual({
        id: ids[1],
        movieId: movie.id,
        screenId: screen.id,
        theaterId: theater.id,
        startTime: `${day}T01:00:00.000Z`,
        endTime: `${day}T02:00:00.000Z`,
        salesOpenAt: expect.any(String),
        availableSeats: 4,
      });
      const byTheater = await api(`/api/screenings?theaterId=${theater.id}&limit=100`);
      expect(byTheater.body.items.map((item: any) => item.id)).toEqual([ids[1], ids[2], ids[0]]);
    });

    it('reads ?date= as a calendar day in TIMEZONE, not in UTC', async () => {
      const movie = await createMovie({ runtimeMinutes: 20 });
      const { screen } = await createVenue();
      const day = daysAhead(31);
      const before = daysAhead(30);
      const after = daysAhead(32);
      const at = async (local: string) =>
        (
          await scheduleScreening({
            movieId: movie.id,
            screenId: screen.id,
            startTime: local,
            prices: { STANDARD: 9000 },
          })
        ).body.id as string;
      const earlyMorning = await at(`${day}T08:30:00+09:00`); // 23:30 UTC the day before
      const lateNight = await at(`${day}T23:30:00+09:00`);
      const nextMidnight = await at(`${after}T00:00:00+09:00`); // 15:00 UTC on `day`
      const on = async (date: string) =>
        (await api(`/api/screenings?movieId=${movie.id}&date=${date}`)).body.items.map(
          (item: any) => item.id,
        );
      expect(await on(day)).toEqual([earlyMorning, lateNight]);
      expect(await on(before)).toEqual([]);
      expect(await on(after)).toEqual([nextMidnight]);
    });

    it('answers one screening with its movie, screen, theater and prices', async () => {
      const movie = await createMovie({ runtimeMinutes: 95 });
      const { theater, screen } = await createVenue([
        { label: 'A', seats: 5, type: 'STANDARD' },
        { label: 'B', seats: 2, type: 'COUPLE' },
      ]);
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(33)}T10:00:00Z`,
        salesOpenAt: `${daysAhead(3)}T00:00:00Z`,
        prices: { STANDARD: 12000, COUPLE: 30000 },
      });
      const found = await api(`/api/screenings/${created.body.id}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual({
        id: created.body.id,
        movie,
        screen: { id: screen.id, name: screen.name },
        theater: { id: theater.id, name: theater.name },
        startTime: `${daysAhead(33)}T10:00:00.000Z`,
        endTime: `${daysAhead(33)}T11:35:00.000Z`,
        salesOpenAt: `${daysAhead(3)}T00:00:00.000Z`,
        prices: { STANDARD: 12000, COUPLE: 30000 },
        singleSeatGaps: 'ALLOW',
        availableSeats: 7,
        waitingRoom: null,
      });
    });
  });

  describe('errors', () => {
    it('answers 404 for an unknown or malformed screening id', async () => {
      for (const id of ['6f1c1a9e-2b1e-4b53-8f57-3d1f0b2a9c11', 'nope']) {
        const response = await api(`/api/screenings/${id}`);
        expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
      }
    });

    it('refuses malformed filters with 400 VALIDATION_FAILED and says which', async () => {
      for (const [query, path] of [
        ['date=2025-02-30', 'date'],
        ['date=20250101', 'date'],
        ['movieId=abc', 'movieId'],
        ['theaterId=1', 'theaterId'],
        ['limit=-1', 'limit'],
      ]) {
        const response = await api(`/api/screenings?${query}`);
        expect([query, response.status, response.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
        expect(response.body.errors.map((error: any) => error.path)).toContain(path);
      }
    });
  });
});
