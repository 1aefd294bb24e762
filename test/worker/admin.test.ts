// Admin catalog over HTTP: movies, theaters and screens (screenings, sales and the role guard
// have files of their own).
import { describe, expect, it } from 'vitest';
import {
  adminToken,
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

const UNKNOWN = '6f1c1a9e-2b1e-4b53-8f57-3d1f0b2a9c11';

describe('admin: movies', () => {
  describe('happy', () => {
    it('creates, reads, patches and deletes a movie', async () => {
      const token = await adminToken();
      const title = `Admin ${tag()}`;
      const created = await api('/api/admin/movies', {
        method: 'POST',
        token,
        body: { title, runtimeMinutes: 120, rating: 'ALL', status: 'UPCOMING' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        title,
        runtimeMinutes: 120,
        rating: 'ALL',
        status: 'UPCOMING',
        posterUrl: null,
      });
      const id = created.body.id;
      expect((await api(`/api/admin/movies/${id}`, { token })).body).toEqual(created.body);

      const patched = await api(`/api/admin/movies/${id}`, {
        method: 'PATCH',
        token,
        body: { status: 'SHOWING', runtimeMinutes: 125 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...created.body, status: 'SHOWING', runtimeMinutes: 125 });
      expect((await api(`/api/movies/${id}`)).body).toEqual(patched.body);

      const removed = await api(`/api/admin/movies/${id}`, { method: 'DELETE', token });
      expect(removed.status).toBe(204);
      expect((await api(`/api/admin/movies/${id}`, { token })).status).toBe(404);
      expect((await api(`/api/admin/movies/${id}`, { method: 'DELETE', token })).status).toBe(404);
    });

    it('keeps an https poster address, normalised, shows it in the catalog and the screening, and removes it with null', async () => {
      const token = await adminToken();
      const created = await api('/api/admin/movies', {
        method: 'POST',
        token,
        body: {
          title: `Poster ${tag()}`,
          runtimeMinutes: 90,
          rating: '12',
          status: 'SHOWING',
          posterUrl: 'HTTPS://Images.Example.com/posters/a b.jpg',
        },
      });
      expect([created.status, created.body.posterUrl]).toEqual([
        201,
        'https://images.example.com/posters/a%20b.jpg',
      ]);
      const id = created.body.id;
      expect((await api(`/api/movies/${id}`)).body.posterUrl).toBe(created.body.posterUrl);
      const changed = await api(`/api/admin/movies/${id}`, {
        method: 'PATCH',
        token,
        body: { posterUrl: 'https://cdn.example.org/p.webp' },
      });
      expect([changed.status, changed.body.posterUrl]).toEqual([200, 'https://cdn.example.org/p.webp']);
      const removed = await api(`/api/admin/movies/${id}`, {
        method: 'PATCH',
        token,
        body: { posterUrl: null },
      });
      expect([removed.status, removed.body.posterUrl]).toEqual([200, null]);
    });

    it('lists movies newest first, page by page', async () => {
      const token = await adminToken();
      const made = [await createMovie(), await createMovie(), await createMovie()];
      const ids = new Set(made.map((movie) => movie.id));
      const { items } = await walk(
        '/api/admin/movies',
        1,
        (seen) => seen.filter((movie) => ids.has(movie.id)).length === 3,
        token,
      );
      const mine = items.filter((movie) => ids.has(movie.id)).map((movie) => movie.id);
      expect(mine).toEqual(made.map((movie) => movie.id).reverse());
      const filtered = await api('/api/admin/movies?status=ENDED&limit=100', { token });
      expect(filtered.body.items.every((movie: any) => movie.status === 'ENDED')).toBe(true);
    });
  });

  describe('errors', () => {
    it('refuses invalid bodies and unknown fields with 400 VALIDATION_FAILED', async () => {
      const token = await adminToken();
      const valid = { title: 'Valid', runtimeMinutes: 90, rating: '15', status: 'SHOWING' };
      for (const [body, path] of [
        [{ ...valid, extra: 1 }, '(body)'],
        [{ ...valid, id: UNKNOWN }, '(body)'],
        [{ ...valid, title: '  ' }, 'title'],
        [{ ...valid, runtimeMinutes: 0 }, 'runtimeMinutes'],
        [{ ...valid, runtimeMinutes: 90.5 }, 'runtimeMinutes'],
        [{ ...valid, rating: '18' }, 'rating'],
        [{ ...valid, status: 'GONE' }, 'status'],
        [{ title: 'No rest' }, 'runtimeMinutes'],
        [{ ...valid, posterUrl: 'http://images.example.com/p.jpg' }, 'posterUrl'],
        [{ ...valid, posterUrl: 'javascript:alert(1)' }, 'posterUrl'],
        [{ ...valid, posterUrl: 'https://localhost/p.jpg' }, 'posterUrl'],
        [{ ...valid, posterUrl: `https://images.example.com/${'p'.repeat(2000)}` }, 'posterUrl'],
      ] as const) {
        const response = await api('/api/admin/movies', { method: 'POST', token, body });
        expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(response.body.errors.map((error: any) => error.path)).toContain(path);
      }
      const movie = await createMovie();
      for (const body of [
        {},
        { extra: true },
        { status: 'LATER' },
        { posterUrl: 'data:image/png;base64,AA' },
      ]) {
        const response = await api(`/api/admin/movies/${movie.id}`, { method: 'PATCH', token, body });
        expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect((await api(`/api/admin/movies/${movie.id}`, { token })).body).toEqual(movie);
    });

    it('answers 404 for unknown movies and 400 for malformed ids', async () => {
      const token = await adminToken();
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const body = method === 'PATCH' ? { status: 'ENDED' } : undefined;
        const unknown = await api(`/api/admin/movies/${UNKNOWN}`, { method, token, body });
        expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
        const malformed = await api('/api/admin/movies/xyz', { method, token, body });
        expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
    });

    it('refuses to delete a movie that has screenings (409 RESOURCE_IN_USE)', async () => {
      const token = await adminToken();
      const movie = await createMovie();
      const { screen } = await createVenue();
      const screening = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(20)}T10:00:00Z`,
        prices: { STANDARD: 10000 },
      });
      expect(screening.status).toBe(201);
      const refused = await api(`/api/admin/movies/${movie.id}`, { method: 'DELETE', token });
      expect([refused.status, refused.body.code]).toEqual([409, 'RESOURCE_IN_USE']);
      expect((await api(`/api/movies/${movie.id}`)).status).toBe(200);
    });
  });
});

describe('admin: theaters and screens', () => {
  describe('happy', () => {
    it('creates a theater and a screen with its seats, numbered per row', async () => {
      const token = await adminToken();
      const name = `Theater ${tag()}`;
      const theater = await api('/api/admin/theaters', { method: 'POST', token, body: { name } });
      expect(theater.status).toBe(201);
      expect(theater.body).toEqual({ id: expect.any(String), name, timeZone: 'Asia/Seoul', screens: [] });
      const screen = await api(`/api/admin/theaters/${theater.body.id}/screens`, {
        method: 'POST',
        token,
        body: {
          name: 'Hall 9',
          rows: [
            { label: 'A', seats: 2, type: 'WHEELCHAIR' },
            { label: 'B12', seats: 3, type: 'PREMIUM' },
          ],
        },
      });
      expect(screen.status).toBe(201);
      expect(screen.body).toMatchObject({
        id: expect.any(String),
        theaterId: theater.body.id,
        name: 'Hall 9',
        seatCount: 5,
      });
      expect(screen.body.seats.map((seat: any) => [seat.rowLabel, seat.seatNo, seat.type])).toEqual([
        ['A', 1, 'WHEELCHAIR'],
        ['A', 2, 'WHEELCHAIR'],
        ['B12', 1, 'PREMIUM'],
        ['B12', 2, 'PREMIUM'],
        ['B12', 3, 'PREMIUM'],
      ]);
      expect(new Set(screen.body.seats.map((seat: any) => seat.seatId)).size).toBe(5);
      const { items } = await walk(
        '/api/admin/theaters',
        1,
        (seen) => seen.some((t) => t.id === theater.body.id),
        token,
      );
      expect(items.find((t) => t.id === theater.body.id)).toEqual({
        id: theater.body.id,
        name,
        timeZone: 'Asia/Seoul',
        screens: [{ id: screen.body.id, name: 'Hall 9', seatCount: 5 }],
      });
    });
  });

  describe('errors', () => {
    it('refuses a duplicate theater name with 409', async () => {
      const token = await adminToken();
      const theater = await createTheater();
      const again = await api('/api/admin/theaters', { method: 'POST', token, body: { name: theater.name } });
      expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
      for (const body of [{}, { name: '' }, { name: 'x', city: 'Seoul' }]) {
        const response = await api('/api/admin/theaters', { method: 'POST', token, body });
        expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
    });

    it('refuses bad row layouts, unknown theaters and duplicate screen names', async () => {
      const token = await adminToken();
      const theater = await createTheater();
      const row = { label: 'A', seats: 10, type: 'STANDARD' };
      const layouts: [unknown, string][] = [
        [[{ ...row, label: 'a' }], 'rows.0.label'],
        [[{ ...row, label: 'ABCD' }], 'rows.0.label'],
        [[{ ...row, label: '' }], 'rows.0.label'],
        [[{ ...row, seats: 0 }], 'rows.0.seats'],
        [[{ ...row, seats: 61 }], 'rows.0.seats'],
        [[{ ...row, type: 'LOUNGE' }], 'rows.0.type'],
        [[{ ...row, extra: 1 }], 'rows.0'],
        [[row, { ...row, type: 'VIP' }], 'rows'],
        [[], 'rows'],
        [Array.from({ length: 41 }, (_, index) => ({ ...row, label: `R${index}` })), 'rows'],
      ];
      for (const [rows, path] of layouts) {
        const response = await api(`/api/admin/theaters/${theater.id}/screens`, {
          method: 'POST',
          token,
          body: { name: 'Hall', rows },
        });
        expect([path, response.status, response.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
        expect(response.body.errors.map((error: any) => error.path)).toContain(path);
      }
      const extra = await api(`/api/admin/theaters/${theater.id}/screens`, {
        method: 'POST',
        token,
        body: { name: 'Hall', rows: [row], theaterId: UNKNOWN },
      });
      expect(extra.status).toBe(400);
      const unknown = await api(`/api/admin/theaters/${UNKNOWN}/screens`, {
        method: 'POST',
        token,
        body: { name: 'Hall', rows: [row] },
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
      const malformed = await api('/api/admin/theaters/42/screens', {
        method: 'POST',
        token,
        body: { name: 'Hall', rows: [row] },
      });
      expect(malformed.status).toBe(400);
      const first = await createScreen(theater.id, [row], 'Hall 1');
      expect(first.seatCount).toBe(10);
      const twice = await api(`/api/admin/theaters/${theater.id}/screens`, {
        method: 'POST',
        token,
        body: { name: 'Hall 1', rows: [row] },
      });
      expect([twice.status, twice.body.code]).toEqual([409, 'CONFLICT']);
      const all = (await walk('/api/theaters', 100, (seen) => seen.some((t) => t.id === theater.id))).items;
      expect(all.find((t) => t.id === theater.id)?.screens).toEqual([
        { id: first.id, name: 'Hall 1', seatCount: 10 },
      ]);
    });
  });
});
