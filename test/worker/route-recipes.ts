// How to call every documented route so that it succeeds for the callers allowed to call it: real
// path ids, valid bodies and headers, all made fresh here. The authorization sweep and the
// invalid-body properties share it. Owner routes name fixtures that belong to `owner`.
import { createMovie, createVenue, tag } from './catalog-helpers.ts';
import { CARDS, createScreening, holdSeats, payFor } from './fixtures.ts';
import { admin, api, newUser, type Session } from './helpers.ts';

export interface Recipe {
  params?: Record<string, string>;
  /** A valid body; called once per request, so each request may take something fresh. */
  body?: () => unknown;
  headers?: () => Record<string, string>;
  /** Owner routes: whether an admin who is not the owner may act ('sees') or is told 404 ('stranger'). */
  admin?: 'sees' | 'stranger';
}

export interface RouteWorld {
  owner: Session;
  stranger: Session;
  admin: Session;
  /** `METHOD /path/{template}` → how to call it. */
  recipes: Record<string, Recipe>;
  /** Values only the owner (or an admin) may ever see. */
  ownerSecrets: string[];
  screeningId: string;
}

const counter = () => {
  let next = 0;
  return () => next++;
};

/** Builds the fixtures: a screening, the owner's holds and reservation, catalog rows to change. */
export async function routeWorld(): Promise<RouteWorld> {
  const [owner, stranger, boss] = await Promise.all([newUser('owner'), newUser('stranger'), admin()]);
  const screening = await createScreening({ seats: 40 });
  const { screeningId, seatIds } = screening;
  const detail = (await api(`/api/screenings/${screeningId}`)).body;
  const toRelease = await holdSeats(screeningId, owner.accessToken, [seatIds[0]!]);
  const toPay = await holdSeats(screeningId, owner.accessToken, [seatIds[1]!]);
  const toExtend = await holdSeats(screeningId, owner.accessToken, [seatIds[3]!]);
  const paid = await payFor(
    await holdSeats(screeningId, owner.accessToken, [seatIds[2]!]),
    owner.accessToken,
  );
  if (paid.status !== 201) throw new Error(`fixture payment failed: ${JSON.stringify(paid.body)}`);
  const reservationNo: string = paid.body.reservation.reservationNo;

  const spare = await newUser('spare');
  const spareTokens = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const tokens = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId: spare.loginId, password: spare.password },
      });
      return tokens.body.refreshToken as string;
    }),
  );
  const movie = await createMovie();
  const doomedMovie = await createMovie();
  const venue = await createVenue([{ label: 'A', seats: 4, type: 'STANDARD' }]);
  const doomedScreening = await createScreening({ seats: 2 });
  const repairable = await createScreening({ seats: 2 });
  const holdSeat = counter();
  const startDay = counter();
  // A sale with a waiting room, open now: the owner's ticket is admitted at once.
  const room = await createScreening({ seats: 2 });
  const roomSettings = { admitPerMinute: 600, opensBeforeMinutes: 30 };
  await api(`/api/admin/screenings/${room.screeningId}`, {
    method: 'PATCH',
    token: boss.accessToken,
    body: { waitingRoom: roomSettings },
  });
  const ticket = await api(`/api/screenings/${room.screeningId}/queue`, {
    method: 'POST',
    token: owner.accessToken,
  });
  if (ticket.status !== 201) throw new Error(`fixture ticket failed: ${JSON.stringify(ticket.body)}`);

  const recipes: Record<string, Recipe> = {
    'GET /health': {},
    'POST /api/auth/signup': {
      body: () => ({ loginId: `sweep_${tag()}`.slice(0, 32), password: 'password-123' }),
    },
    'POST /api/auth/login': { body: () => ({ loginId: spare.loginId, password: spare.password }) },
    'POST /api/auth/refresh': { body: () => ({ refreshToken: spareTokens.pop() }) },
    'POST /api/auth/logout': { body: () => ({ refreshToken: spareTokens.pop() }) },
    'GET /api/me': {},
    'GET /api/screenings/{id}/seats': { params: { id: screeningId } },
    'GET /api/screenings/{id}/live': {
      params: { id: screeningId },
      headers: () => ({ upgrade: 'websocket' }),
    },
    'POST /api/screenings/{id}/holds': {
      params: { id: screeningId },
      body: () => ({ seatIds: [seatIds[10 + holdSeat()]] }),
    },
    'DELETE /api/screenings/{id}/holds/{holdToken}': {
      params: { id: screeningId, holdToken: toRelease.holdToken },
      admin: 'stranger',
    },
    'POST /api/screenings/{id}/holds/{holdToken}/extend': {
      params: { id: screeningId, holdToken: toExtend.holdToken },
      admin: 'stranger',
    },
    'GET /api/me/holds': {},
    'POST /api/screenings/{id}/queue': { params: { id: room.screeningId } },
    'GET /api/screenings/{id}/queue/{ticketId}': {
      params: { id: room.screeningId, ticketId: ticket.body.ticketId },
      admin: 'stranger',
    },
    'GET /api/admin/screenings/{id}/queue': { params: { id: room.screeningId } },
    'PATCH /api/admin/screenings/{id}': {
      params: { id: room.screeningId },
      body: () => ({ singleSeatGaps: 'ALLOW', waitingRoom: roomSettings }),
    },
    'POST /api/admin/screenings/{id}/seats/block': {
      params: { id: screeningId },
      body: () => ({ seatIds: [seatIds[30]], reason: 'sweep' }),
    },
    'POST /api/admin/screenings/{id}/seats/unblock': {
      params: { id: screeningId },
      body: () => ({ seatIds: [seatIds[30]] }),
    },
    'POST /api/admin/seats/{seatId}/disable': {
      params: { seatId: repairable.seatIds[0]! },
      body: () => ({ reason: 'broken armrest' }),
    },
    'POST /api/admin/seats/{seatId}/enable': { params: { seatId: repairable.seatIds[0]! }, body: () => ({}) },
    'GET /api/movies': {},
    'GET /api/movies/{id}': { params: { id: detail.movie.id } },
    'GET /api/theaters': {},
    'GET /api/screenings': {},
    'GET /api/screenings/{id}': { params: { id: screeningId } },
    'POST /api/admin/movies': {
      body: () => ({ title: `Sweep ${tag()}`, runtimeMinutes: 90, rating: 'ALL', status: 'UPCOMING' }),
    },
    'GET /api/admin/movies': {},
    'GET /api/admin/movies/{id}': { params: { id: movie.id } },
    'PATCH /api/admin/movies/{id}': { params: { id: movie.id }, body: () => ({ status: 'ENDED' }) },
    'DELETE /api/admin/movies/{id}': { params: { id: doomedMovie.id } },
    'POST /api/admin/theaters': { body: () => ({ name: `Sweep ${tag()}` }) },
    'GET /api/admin/theaters': {},
    'POST /api/admin/theaters/{id}/screens': {
      params: { id: venue.theater.id },
      body: () => ({ name: `Sweep ${tag()}`, rows: [{ label: 'A', seats: 2, type: 'VIP' }] }),
    },
    'POST /api/admin/screenings': {
      body: () => ({
        movieId: movie.id,
        screenId: venue.screen.id,
        startTime: new Date(Date.UTC(2031, 0, 1 + startDay(), 10)).toISOString(),
        prices: { STANDARD: 12000 },
      }),
    },
    'GET /api/admin/screenings': {},
    'GET /api/admin/screenings/{id}': { params: { id: screeningId } },
    'DELETE /api/admin/screenings/{id}': { params: { id: doomedScreening.screeningId } },
    'GET /api/admin/reservations': {},
    'GET /api/admin/payments': {},
    'GET /api/admin/reports/summary': {},
    'GET /api/admin/reports/daily-sales': {},
    'GET /api/admin/reports/top-movies': {},
    'GET /api/admin/reports/screenings/{id}': { params: { id: screeningId } },
    'POST /api/payments': {
      headers: () => ({ 'idempotency-key': crypto.randomUUID() }),
      body: () => ({ holdToken: toPay.holdToken, screeningId, method: 'CARD', cardNumber: CARDS.approve }),
      admin: 'stranger',
    },
    'GET /api/reservations': {},
    'GET /api/reservations/{reservationNo}': { params: { reservationNo }, admin: 'sees' },
    'POST /api/reservations/{reservationNo}/cancel': { params: { reservationNo }, admin: 'sees' },
    'POST /api/logs': { body: () => ({ entries: [{ level: 'info', message: 'sweep' }] }) },
  };
  return {
    owner,
    stranger,
    admin: boss,
    recipes,
    ownerSecrets: [toRelease.holdToken, toPay.holdToken, reservationNo, ticket.body.admissionToken],
    screeningId,
  };
}

/** `/api/x/{id}` with the params filled in. */
export const fillPath = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? crypto.randomUUID()),
  );
