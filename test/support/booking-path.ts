// The booking path as a client walks it, against any running Marquee (Node, Deno): sign up, log in,
// find a screening, watch its seat map live, hold, pay, list, cancel. Used by the standalone tests.
import { expect } from 'vitest';

export interface BookingPathResult {
  reservationNo: string;
  liveVersions: number[];
}

async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function walkBookingPath(base: string): Promise<BookingPathResult> {
  const loginId = `walker_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  expect(
    (await call(base, '/api/auth/signup', { method: 'POST', body: { loginId, password: 'password-123' } }))
      .status,
  ).toBe(201);
  const login = await call(base, '/api/auth/login', {
    method: 'POST',
    body: { loginId, password: 'password-123' },
  });
  expect(login.status).toBe(200);
  const token: string = login.body.accessToken;

  const screenings = await call(base, '/api/screenings?limit=100');
  const now = Date.now();
  const screening = screenings.body.items.find(
    (item: { startTime: string; availableSeats: number }) =>
      Date.parse(item.startTime) > now + 3_600_000 && item.availableSeats > 4,
  );
  expect(screening).toBeDefined();
  const map = await call(base, `/api/screenings/${screening.id}/seats`);
  expect(map.status).toBe(200);
  const free: string[] = map.body.seats
    .filter((seat: { status: string }) => seat.status === 'AVAILABLE')
    .map((seat: { seatId: string }) => seat.seatId);

  const live = new WebSocket(`${base.replace(/^http/, 'ws')}/api/screenings/${screening.id}/live`);
  const messages: { type: string; version: number; changes?: { seatId: string; status: string }[] }[] = [];
  live.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)));
  });
  await expect.poll(() => messages.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  expect(messages[0]?.type).toBe('snapshot');

  const hold = await call(base, `/api/screenings/${screening.id}/holds`, {
    method: 'POST',
    token,
    body: { seatIds: free.slice(0, 2) },
  });
  expect(hold.status).toBe(201);
  await expect
    .poll(() =>
      messages.some((message) =>
        message.changes?.some((change) => change.seatId === free[0] && change.status === 'HOLD'),
      ),
    )
    .toBe(true);
  // Written behind the 201: GET /api/me/holds shows the hold within 1 s of it.
  await expect
    .poll(async () => (await call(base, '/api/me/holds', { token })).body.items, {
      timeout: 1_000,
      interval: 50,
    })
    .toHaveLength(1);

  const paid = await call(base, '/api/payments', {
    method: 'POST',
    token,
    headers: { 'idempotency-key': `walk-${loginId}` },
    body: {
      holdToken: hold.body.holdToken,
      screeningId: screening.id,
      method: 'CARD',
      cardNumber: '4242424242424242',
    },
  });
  expect(paid.status).toBe(201);
  const reservationNo: string = paid.body.reservation.reservationNo;
  await expect
    .poll(() =>
      messages.some((message) =>
        message.changes?.some((change) => change.seatId === free[0] && change.status === 'RESERVED'),
      ),
    )
    .toBe(true);
  const mine = await call(base, '/api/reservations', { token });
  expect(mine.body.items[0].reservationNo).toBe(reservationNo);

  const cancelled = await call(base, `/api/reservations/${reservationNo}/cancel`, { method: 'POST', token });
  expect(cancelled.body).toMatchObject({ status: 'CANCELLED', refund: { status: 'REFUNDED' } });
  await expect
    .poll(
      async () =>
        (await call(base, `/api/screenings/${screening.id}/seats`)).body.seats.find(
          (seat: { seatId: string }) => seat.seatId === free[0],
        ).status,
    )
    .toBe('AVAILABLE');
  live.close();
  const versions = messages.map((message) => message.version);
  expect(versions).toEqual(versions.map((_, index) => versions[0]! + index));
  return { reservationNo, liveVersions: versions };
}
