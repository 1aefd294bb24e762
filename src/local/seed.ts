// Demo data and the dev admin, for the development commands (`npm run dev`, `dev:node`, `dev:deno`)
// and `npm run admin -- seed-demo`; never for a production start. Safe to run on every start: the
// catalog is created once, screenings are topped up for today and tomorrow, and the dev admin's
// password is reset when it differs (an unchanged one is left alone: a reset ends its logins).
import { and, eq, gte, lt } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../adapters/auth/password.ts';
import type { Database } from '../adapters/db/client.ts';
import { members, movies, screenings, screens, theaters } from '../adapters/db/schema.ts';
import {
  insertScreenWithSeats,
  insertTheater,
  type RowLayout,
  seatCount,
} from '../adapters/db/theater-repository.ts';
import { addDays, dayRange, localDate, zonedTimeToUtc } from '../domain/time.ts';

const THEATER = 'Marquee Central';
const PRICES = { STANDARD: 12000, PREMIUM: 15000, VIP: 20000, COUPLE: 30000, WHEELCHAIR: 10000 };

const HALLS: { name: string; rows: RowLayout[] }[] = [
  {
    name: 'Hall 1',
    rows: [
      { label: 'A', seats: 4, type: 'WHEELCHAIR' },
      ...['B', 'C', 'D', 'E'].map((label) => ({ label, seats: 12, type: 'STANDARD' as const })),
      ...['F', 'G'].map((label) => ({ label, seats: 12, type: 'PREMIUM' as const })),
      { label: 'H', seats: 10, type: 'VIP' },
      { label: 'J', seats: 6, type: 'COUPLE' },
    ],
  },
  {
    name: 'Hall 2',
    rows: [
      { label: 'A', seats: 2, type: 'WHEELCHAIR' },
      ...['B', 'C', 'D', 'E', 'F'].map((label) => ({ label, seats: 10, type: 'STANDARD' as const })),
      { label: 'G', seats: 10, type: 'PREMIUM' },
      { label: 'H', seats: 6, type: 'VIP' },
      { label: 'J', seats: 4, type: 'COUPLE' },
    ],
  },
];

const MOVIES = [
  { title: 'The Last Projectionist', runtimeMinutes: 148, rating: '12', status: 'SHOWING' },
  { title: 'Seat 7B', runtimeMinutes: 116, rating: '15', status: 'SHOWING' },
  { title: 'Paper Moons', runtimeMinutes: 98, rating: 'ALL', status: 'SHOWING' },
] as const;

/** [hall index, movie index, local start time] for each day. */
const SCHEDULE: [number, number, string][] = [
  [0, 0, '10:00'],
  [0, 1, '14:00'],
  [0, 0, '19:00'],
  [1, 2, '11:00'],
  [1, 1, '16:00'],
  [1, 2, '20:30'],
];

/**
 * Creates the admin, or resets its password and role. An admin that already has them is left alone:
 * a change ends every login the member had (a trigger, migration 0004), a restart should not.
 */
export async function upsertAdmin(db: Database, loginId: string, password: string): Promise<void> {
  const [current] = await db
    .select({ role: members.role, passwordHash: members.passwordHash })
    .from(members)
    .where(eq(members.loginId, loginId));
  if (current?.role === 'ADMIN' && (await verifyPassword(password, current.passwordHash))) return;
  const passwordHash = await hashPassword(password);
  await db
    .insert(members)
    .values({ loginId, passwordHash, role: 'ADMIN' })
    .onConflictDoUpdate({ target: members.loginId, set: { passwordHash, role: 'ADMIN' } });
}

export async function seedDemo(db: Database, timeZone: string, now = new Date()): Promise<void> {
  let [theater] = await db.select().from(theaters).where(eq(theaters.name, THEATER));
  if (!theater) {
    theater = await insertTheater(db, THEATER);
    for (const hall of HALLS) await insertScreenWithSeats(db, theater.id, hall.name, hall.rows);
    await db.insert(movies).values([...MOVIES]);
  }
  const halls = await db
    .select()
    .from(screens)
    .where(eq(screens.theaterId, theater.id))
    .orderBy(screens.name);
  const films = await Promise.all(
    MOVIES.map(async (movie) => (await db.select().from(movies).where(eq(movies.title, movie.title)))[0]),
  );
  const today = localDate(now, timeZone);
  for (const date of [today, addDays(today, 1)]) {
    const { start, end } = dayRange(date, timeZone);
    for (const [index, hall] of halls.entries()) {
      const existing = await db
        .select({ id: screenings.id })
        .from(screenings)
        .where(
          and(
            eq(screenings.screenId, hall.id),
            gte(screenings.startTime, start),
            lt(screenings.startTime, end),
          ),
        );
      if (existing.length > 0) continue;
      const seatsInHall = await seatCount(db, hall.id);
      const rows = SCHEDULE.filter(([hallIndex]) => hallIndex === index).flatMap(([, movieIndex, time]) => {
        const movie = films[movieIndex];
        if (!movie) return [];
        const startTime = zonedTimeToUtc(date, time, timeZone);
        return [
          {
            movieId: movie.id,
            screenId: hall.id,
            startTime,
            endTime: new Date(startTime.getTime() + movie.runtimeMinutes * 60_000),
            salesOpenAt: new Date(startTime.getTime() - 7 * 86_400_000),
            prices: PRICES,
            availableSeats: seatsInHall,
          },
        ];
      });
      if (rows.length > 0) await db.insert(screenings).values(rows);
    }
  }
}
