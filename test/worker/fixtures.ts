// Worker-side test fixtures: screenings and members made directly in Postgres, live sockets,
// holds and payments through the API.
import { env, SELF } from 'cloudflare:test';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { connect } from '../../src/adapters/db/client.ts';
import { insertMembers, insertScreening, type ScreeningOptions } from '../support/screening-fixture.ts';
import { api } from './helpers.ts';

export type { ScreeningFixture } from '../support/screening-fixture.ts';

export function withDb<T>(work: (db: ReturnType<typeof connect>['db']) => Promise<T>): Promise<T> {
  const connection = connect(env.DATABASE_URL ?? '', env.PG_WS_PROXY, 1);
  return work(connection.db).finally(() => connection.close());
}

export const createScreening = (options: ScreeningOptions = {}) =>
  withDb((db) => insertScreening(db, options));

/** Members made directly in Postgres with signed access tokens: for load tests, where signing up hundreds would only measure PBKDF2. */
export async function fastMembers(count: number): Promise<{ id: string; loginId: string; token: string }[]> {
  const rows = await withDb((db) => insertMembers(db, count));
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      loginId: row.loginId,
      token: await signAccessToken({ id: row.id, loginId: row.loginId, role: 'USER' }, env.JWT_SECRET ?? ''),
    })),
  );
}

/** A live seat-map socket that records every message it receives. */
export async function watch(screeningId: string) {
  const response = await SELF.fetch(`http://marquee.test/api/screenings/${screeningId}/live`, {
    headers: { upgrade: 'websocket' },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error(`no WebSocket: ${response.status} ${await response.text()}`);
  const messages: any[] = [];
  socket.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)));
  });
  socket.accept();
  return { socket, messages, close: () => socket.close(1000, 'done') };
}

export const CARDS = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  timeout: '4000000000009995',
};

export async function holdSeats(screeningId: string, token: string, seatIds: string[]) {
  const held = await api(`/api/screenings/${screeningId}/holds`, {
    method: 'POST',
    token,
    body: { seatIds },
  });
  if (held.status !== 201) throw new Error(`hold failed: ${JSON.stringify(held.body)}`);
  return held.body as { holdToken: string; screeningId: string; seatIds: string[]; expiresAt: string };
}

export function payFor(
  hold: { holdToken: string; screeningId: string },
  token: string,
  options: { key?: string; method?: string; cardNumber?: string | null; fault?: string } = {},
) {
  const headers: Record<string, string> = { 'idempotency-key': options.key ?? crypto.randomUUID() };
  if (options.fault) headers['x-marquee-fault'] = options.fault;
  const method = options.method ?? 'CARD';
  const cardNumber =
    options.cardNumber === null
      ? undefined
      : (options.cardNumber ?? (method === 'CARD' ? CARDS.approve : undefined));
  return api('/api/payments', {
    method: 'POST',
    token,
    headers,
    body: { holdToken: hold.holdToken, screeningId: hold.screeningId, method, cardNumber },
  });
}

export async function seatStatuses(screeningId: string): Promise<Map<string, string>> {
  const map = (await api(`/api/screenings/${screeningId}/seats`)).body;
  return new Map(map.seats.map((seat: { seatId: string; status: string }) => [seat.seatId, seat.status]));
}
