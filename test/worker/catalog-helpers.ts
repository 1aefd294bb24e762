// Catalog data made through the admin API for catalog and admin route tests. Every name carries a
// fresh tag: the database is shared with the other test files and never empty.
import { expect } from 'vitest';
import { admin, api } from './helpers.ts';

let made = 0;
export const tag = () =>
  `${Date.now().toString(36)}${(made++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

export const adminToken = async () => (await admin()).accessToken;

export async function createMovie(overrides: Record<string, unknown> = {}) {
  const created = await api('/api/admin/movies', {
    method: 'POST',
    token: await adminToken(),
    body: { title: `Movie ${tag()}`, runtimeMinutes: 100, rating: '12', status: 'SHOWING', ...overrides },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as {
    id: string;
    title: string;
    runtimeMinutes: number;
    rating: string;
    status: string;
  };
}

export async function createTheater(name = `Theater ${tag()}`) {
  const created = await api('/api/admin/theaters', {
    method: 'POST',
    token: await adminToken(),
    body: { name },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; name: string };
}

export type Row = { label: string; seats: number; type: string };

export async function createScreen(
  theaterId: string,
  rows: Row[] = [{ label: 'A', seats: 4, type: 'STANDARD' }],
  name = `Screen ${tag()}`,
) {
  const created = await api(`/api/admin/theaters/${theaterId}/screens`, {
    method: 'POST',
    token: await adminToken(),
    body: { name, rows },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as {
    id: string;
    theaterId: string;
    name: string;
    seatCount: number;
    seats: { seatId: string; rowLabel: string; seatNo: number; type: string }[];
  };
}

/** A theater with one screen. */
export async function createVenue(rows?: Row[]) {
  const theater = await createTheater();
  const screen = await createScreen(theater.id, rows);
  return { theater, screen };
}

export const scheduleScreening = async (body: Record<string, unknown>) =>
  api('/api/admin/screenings', { method: 'POST', token: await adminToken(), body });

/** `days` days from today (UTC), as YYYY-MM-DD. */
export const daysAhead = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Follows nextCursor from the first page until `done` says enough (or the list ends). */
export async function walk(
  path: string,
  limit: number,
  done: (items: any[]) => boolean,
  token?: string,
  maxPages = 200,
) {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await api<{ items: any[]; nextCursor: string | null }>(url, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (cursor === null || done(items)) return { items, cursor };
  }
  throw new Error(`${path}: more than ${maxPages} pages`);
}
