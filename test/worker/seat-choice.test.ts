// Issue 17 over HTTP on Workers: the gap rule per screening (set on create, shown on GET, changed by
// PATCH and followed by the actor at once), best available, hold extension, and their errors.
import { describe, expect, it } from 'vitest';
import { createMovie, createVenue, scheduleScreening, tag } from './catalog-helpers.ts';
import { admin, api, newUser } from './helpers.ts';

const hoursAhead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

async function screeningWith(gaps?: 'ALLOW' | 'PREVENT') {
  const { screen } = await createVenue([
    { label: 'A', seats: 6, type: 'STANDARD' },
    { label: 'B', seats: 2, type: 'WHEELCHAIR' },
    { label: 'C', seats: 6, type: 'STANDARD' },
  ]);
  const movie = await createMovie({ title: `Gaps ${tag()}` });
  const created = await scheduleScreening({
    movieId: movie.id,
    screenId: screen.id,
    startTime: hoursAhead(24 * 30 + Math.random() * 24 * 300),
    salesOpenAt: hoursAhead(-1),
    prices: { STANDARD: 12000, WHEELCHAIR: 8000 },
    ...(gaps ? { singleSeatGaps: gaps } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const seat = (row: string, no: number) =>
    screen.seats.find((s) => s.rowLabel === row && s.seatNo === no)?.seatId as string;
  return { id: created.body.id as string, body: created.body, seat };
}

const holdOf = (token: string, id: string, body: unknown) =>
  api(`/api/screenings/${id}/holds`, { method: 'POST', token, body });

describe('single-seat gaps and PATCH', () => {
  it('keeps singleSeatGaps with the screening, refuses a gap under PREVENT, and follows PATCH at once', async () => {
    const token = (await admin()).accessToken;
    const { id, body, seat } = await screeningWith('PREVENT');
    expect(body.singleSeatGaps).toBe('PREVENT');
    expect((await api(`/api/screenings/${id}`)).body.singleSeatGaps).toBe('PREVENT');
    const user = await newUser('gap');
    const refused = await holdOf(user.accessToken, id, { seatIds: [seat('A', 2), seat('A', 3)] });
    expect([refused.status, refused.body.code, refused.body.gapSeatIds]).toEqual([
      409,
      'SINGLE_SEAT_GAP',
      [seat('A', 1)],
    ]);
    const patched = await api(`/api/admin/screenings/${id}`, {
      method: 'PATCH',
      token,
      body: { singleSeatGaps: 'ALLOW', prices: { STANDARD: 9000, WHEELCHAIR: 7000 } },
    });
    expect([patched.status, patched.body.singleSeatGaps, patched.body.prices]).toEqual([
      200,
      'ALLOW',
      { STANDARD: 9000, WHEELCHAIR: 7000 },
    ]);
    expect((await holdOf(user.accessToken, id, { seatIds: [seat('A', 2), seat('A', 3)] })).status).toBe(201);
    const map = (await api(`/api/screenings/${id}/seats`)).body;
    expect(map.seats.find((s: { seatId: string }) => s.seatId === seat('C', 1)).price).toBe(9000);
    const later = await api(`/api/admin/screenings/${id}`, {
      method: 'PATCH',
      token,
      body: { salesOpenAt: hoursAhead(2) },
    });
    expect(later.status).toBe(200);
    expect((await holdOf(user.accessToken, id, { seatIds: [seat('C', 1)] })).body.code).toBe(
      'SALES_NOT_OPEN',
    );
  });

  it('refuses unknown fields, a sales opening after the start, missing prices, and unknown screenings', async () => {
    const token = (await admin()).accessToken;
    const { id } = await screeningWith();
    const patch = (body: unknown, target = id) =>
      api(`/api/admin/screenings/${target}`, { method: 'PATCH', token, body });
    expect((await patch({ startTime: hoursAhead(5) })).status).toBe(400);
    expect((await patch({ singleSeatGaps: 'SOMETIMES' })).status).toBe(400);
    expect((await patch({ salesOpenAt: hoursAhead(24 * 400) })).status).toBe(400);
    expect((await patch({ prices: { STANDARD: 1000 } })).body.code).toBe('VALIDATION_FAILED');
    expect((await patch({ singleSeatGaps: 'PREVENT' }, crypto.randomUUID())).status).toBe(404);
    const user = await newUser('patch');
    expect(
      (
        await patch({ singleSeatGaps: 'PREVENT' }).then(() =>
          api(`/api/admin/screenings/${id}`, { method: 'PATCH', token: user.accessToken, body: {} }),
        )
      ).status,
    ).toBe(403);
  });
});

describe('best available over HTTP', () => {
  it('takes exactly one of seatIds and best', async () => {
    const { id, seat } = await screeningWith();
    const user = await newUser('best');
    for (const body of [
      {},
      { seatIds: [seat('A', 1)], best: { count: 1 } },
      { best: { count: 9 } },
      { best: { count: 2, wheelchair: 3 } },
      { best: { count: 1, extra: 1 } },
    ]) {
      const answer = await holdOf(user.accessToken, id, body);
      expect([answer.status, answer.body.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('chooses and holds the best seats, a wheelchair space with its companion, and says when nothing fits', async () => {
    const { id, seat } = await screeningWith();
    const user = await newUser('best');
    // Rows A, B, C: two thirds back is row B, all wheelchair spaces; so row C (or A) by the centre.
    const two = await holdOf(user.accessToken, id, { best: { count: 2 } });
    expect([two.status, two.body.seatIds]).toEqual([201, [seat('C', 3), seat('C', 4)]]);
    const other = await newUser('best');
    const wheelchair = await holdOf(other.accessToken, id, {
      best: { count: 2, wheelchair: 1, together: false },
    });
    expect(wheelchair.status).toBe(201);
    expect(wheelchair.body.seatIds).toContain(seat('B', 1));
    const third = await newUser('best');
    const none = await holdOf(third.accessToken, id, { best: { count: 3, types: ['VIP'] } });
    expect([none.status, none.body.code]).toEqual([409, 'NOT_ENOUGH_SEATS']);
  });
});

describe('hold extension over HTTP', () => {
  it('extends the owner’s hold and answers 404 to anybody else', async () => {
    const { id, seat } = await screeningWith();
    const user = await newUser('ext');
    const held = await holdOf(user.accessToken, id, { seatIds: [seat('A', 1)] });
    const path = `/api/screenings/${id}/holds/${held.body.holdToken}/extend`;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const extended = await api(path, { method: 'POST', token: user.accessToken });
    expect(extended.status).toBe(200);
    expect(extended.body.holdToken).toBe(held.body.holdToken);
    expect(Date.parse(extended.body.expiresAt)).toBeGreaterThan(Date.parse(held.body.expiresAt));
    const stranger = await newUser('ext');
    expect((await api(path, { method: 'POST', token: stranger.accessToken })).body.code).toBe(
      'HOLD_NOT_FOUND',
    );
    expect(
      (await api(`/api/screenings/${id}/holds/nope/extend`, { method: 'POST', token: user.accessToken }))
        .status,
    ).toBe(404);
    expect((await api(path, { method: 'POST' })).status).toBe(401);
  });
});
