// Catalog rows made directly in Postgres for seat and payment tests: a theater, a screen with
// `seats` STANDARD seats in rows of ten, a movie and one screening with its own sales window.
import { env, SELF } from 'cloudflare:test';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { connect } from '../../src/adapters/db/client.ts';
import { members, movies, screenings } from '../../src/adapters/db/schema.ts';
import { insertScreenWithSeats, insertTheater } from '../../src/adapters/db/theater-repository.ts';

export interface ScreeningFixture {
  screeningId: string;
  screenId: string;
  seatIds: string[];
  startTime: Date;
}

let made = 0;

export function withDb<T>(work: (db: ReturnType<typeof connect>['db']) => Promise<T>): Promise<T> {
  const connection = connect(env.DATABASE_URL ?? '', env.PG_WS_PROXY, 1);
  return work(connection.db).finally(() => connection.close());
}

export async function createScreening(
  options: { seats?: number; salesOpenAt?: Date; startTime?: Date; price?: number } = {},
): Promise<ScreeningFixture> {
  const count = options.seats ?? 20;
  const startTime = options.startTime ?? new Date(Date.now() + 7 * 86_400_000);
  const salesOpenAt = options.salesOpenAt ?? new Date(Date.now() - 3_600_000);
  const tag = `${Date.now().toString(36)}-${(made++).toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  return withDb(async (db) => {
    const theater = await insertTheater(db, `Fixture ${tag}`);
    const rows = Array.from({ length: Math.ceil(count / 10) }, (_, index) => ({
      label: String.fromCharCode(65 + index),
      seats: Math.min(10, count - index * 10),
      type: 'STANDARD' as const,
    }));
    const screen = await insertScreenWithSeats(db, theater.id, 'Screen', rows);
    const [movie] = await db
      .insert(movies)
      .values({ title: `Fixture ${tag}`, runtimeMinutes: 120, rating: 'ALL', status: 'SHOWING' })
      .returning();
    const [screening] = await db
      .insert(screenings)
      .values({
        movieId: movie!.id,
        screenId: screen.id,
        startTime,
        endTime: new Date(startTime.getTime() + 120 * 60_000),
        salesOpenAt,
        prices: { STANDARD: options.price ?? 12000 },
        availableSeats: count,
      })
      .returning();
    const seatRows = await db.query.seats.findMany({
      where: (seat, { eq }) => eq(seat.screenId, screen.id),
      orderBy: (seat, { asc }) => [asc(seat.rowLabel), asc(seat.seatNo)],
    });
    return {
      screeningId: screening!.id,
      screenId: screen.id,
      seatIds: seatRows.map((seat) => seat.id),
      startTime,
    };
  });
}

/** Members made directly in Postgres with signed access tokens: for load tests, where signing up hundreds would only measure PBKDF2. */
export async function fastMembers(count: number): Promise<{ id: string; token: string }[]> {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e5)}`;
  const rows = await withDb((db) =>
    db
      .insert(members)
      .values(
        Array.from({ length: count }, (_, index) => ({
          loginId: `f${tag}_${index}`,
          passwordHash: 'unusable',
        })),
      )
      .returning(),
  );
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
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
  socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
  socket.accept();
  return { socket, messages, close: () => socket.close(1000, 'done') };
}
