// `npm run bench:waiting-room`: the sale opening behind a waiting room. N members join the room
// before the opening, poll as the API tells them (pollAfterSeconds), and once admitted read the
// seat map, hold one seat with their admission and pay for it. Per runtime it reports what reaches
// the seat coordinator (seat-map reads and holds of admitted members, per second, beside the
// ceiling the room's rate sets), the time from the opening to each admission, hold latency, seats
// sold, and the fairness check: Spearman's rank correlation between join order and admission order
// among the early joiners (about 0 for a fair draw; |rho| above 4/sqrt(n) would be suspicious).
// Counts do not depend on the machine's load; latencies on a shared machine do.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { updateWaitingRoom } from '../src/adapters/db/waiting-room-repository.ts';
import { createScratchDatabase } from '../src/local/scratch-database.ts';
import { flushRedis, redisUrl } from '../test/support/redis.ts';
import { insertScreening } from '../test/support/screening-fixture.ts';
import { nodeKit } from './runtimes/node.ts';
import type { RuntimeKit } from './runtimes/server.ts';
import { workersKit } from './runtimes/workers.ts';
import { insertBenchMembers, type Member, signTokens } from './support/members.ts';
import { marqueeSettings } from './support/settings.ts';
import { type Summary, summarize } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '3000' },
    seats: { type: 'string', default: '200' },
    pool: { type: 'string', default: '64' },
    runtimes: { type: 'string', default: 'workers,node' },
    'max-seconds': { type: 'string', default: '300' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const users = Number(values.users);
const admitPerMinute = Number(values.rate);
const seats = Number(values.seats);
const maxMs = Number(values['max-seconds']) * 1000;
/** Marquee's default, which the bench does not change. */
const ADMISSION_SECONDS = 900;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field below
  body: any;
  ms: number;
}

/** `connections` calls in flight at most, and payments in slots of their own (a buyer pays at once). */
function client(baseUrl: string, connections: number, paymentConnections = 32) {
  const agent = new Agent({
    connections: connections + paymentConnections,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const slots = pLimit(connections);
  const paymentSlots = pLimit(paymentConnections);
  const call = (method: 'GET' | 'POST', path: string, token: string, body?: unknown, headers = {}) =>
    (path === '/api/payments' ? paymentSlots : slots)(async (): Promise<Reply> => {
      const start = performance.now();
      try {
        const response = await request(`${baseUrl}${path}`, {
          method,
          dispatcher: agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.body.text();
        return {
          status: response.statusCode,
          body: text ? JSON.parse(text) : undefined,
          ms: performance.now() - start,
        };
      } catch {
        return { status: 0, body: undefined, ms: performance.now() - start };
      }
    });
  return { call, close: () => agent.close() };
}

/** Spearman's rho of two rankings of the same items (no ties). */
export function spearman(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 3) return Number.NaN;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((a[i] as number) - (b[i] as number)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

interface Result {
  runtime: string;
  users: number;
  admitPerMinute: number;
  joinMs: number;
  admitted: number;
  /** Admissions per second by the room's clock, peak over 1-second windows, and the configured rate. */
  admissionsPerSecond: { peak: number; peak5s: number; mean: number; ceiling: number };
  /** Seat-map reads and holds of admitted members: what the seat coordinator is asked, per second. */
  /** Its ceiling: the rate's members a second, each reading the map and holding at most 3 times. */
  coordinatorRequestsPerSecond: { peak: number; peak5s: number; mean: number; ceiling: number };
  payCodes: Record<string, number>;
  refusedBeforeCoordinator: number;
  openingToAdmissionMs: Summary;
  hold: Summary;
  holdCodes: Record<string, number>;
  seatsSold: number;
  seats: number;
  polls: number;
  fairness: { earlyJoiners: number; rho: number; bound: number };
}

async function run(
  kit: RuntimeKit,
  members: Member[],
  db: Parameters<typeof insertScreening>[0],
): Promise<Result> {
  // Holds live a minute: a buyer's payment may queue behind thousands of polls on this one driver.
  const server = await kit.marquee(marqueeSettings({ HOLD_TTL_SECONDS: '60' }));
  const api = client(server.url, Number(values.pool));
  try {
    // Joining 10,000 takes a while on a small machine: the sale opens once everyone is in.
    const fixture = await insertScreening(db, { seats, salesOpenAt: new Date(Date.now() + 3_600_000) });
    const id = fixture.screeningId;
    await updateWaitingRoom(db, id, { admitPerMinute, opensBeforeMinutes: 120 });
    const joinStart = performance.now();
    const tickets = await Promise.all(
      members.map(async (member, order) => {
        const joined = await api.call('POST', `/api/screenings/${id}/queue`, member.token);
        if (joined.status !== 201)
          throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
        return { member, order, ticketId: joined.body.ticketId as string };
      }),
    );
    const joinMs = performance.now() - joinStart;
    // The sale opens a few seconds from now: longer than a server trusts what it read of the room.
    const { sql } = await import('drizzle-orm');
    const opened = await db.execute(
      sql`update screenings set sales_open_at = now() + interval '6 seconds' where id = ${id} returning sales_open_at`,
    );
    const [row] = (opened as unknown as { rows: { sales_open_at: string | Date }[] }).rows;
    const openAt = new Date(String(row?.sales_open_at)).getTime();
    const opening = performance.now() + (openAt - Date.now());
    const deadline = opening + maxMs;
    let polls = 0;
    let sold = 0;
    let refused = 0;
    const coordinatorAt: number[] = [];
    /** When the room admitted each member (its clock: admittedUntil − ADMISSION_SECONDS), ms after the opening. */
    const admittedAt: { order: number; at: number }[] = [];
    const holdTimes: number[] = [];
    const holdCodes: Record<string, number> = {};
    const payCodes: Record<string, number> = {};
    const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

    await Promise.all(
      tickets.map(async ({ member, order, ticketId }) => {
        // Every member asks again within two seconds of the opening.
        await wait(Math.max(0, opening - performance.now()) + Math.random() * 2000);
        for (;;) {
          if (performance.now() > deadline || sold >= seats) return;
          polls++;
          const ticket = await api.call('GET', `/api/screenings/${id}/queue/${ticketId}`, member.token);
          if (ticket.body?.status === 'ADMITTED') {
            const at = Date.parse(ticket.body.admittedUntil) - ADMISSION_SECONDS * 1000 - openAt;
            admittedAt.push({ order, at });
            await buy(member, ticket.body.admissionToken as string);
            return;
          }
          if (ticket.status !== 200 || ticket.body?.status !== 'WAITING') return;
          await wait((ticket.body.pollAfterSeconds ?? 5) * 1000);
        }
      }),
    );

    async function buy(member: Member, admission: string): Promise<void> {
      const header = { 'admission-token': admission };
      for (let attempt = 0; attempt < 3 && sold < seats; attempt++) {
        coordinatorAt.push(performance.now());
        const map = await api.call('GET', `/api/screenings/${id}/seats`, member.token);
        const free = (map.body?.seats ?? []).filter(
          (seat: { status: string }) => seat.status === 'AVAILABLE',
        );
        if (free.length === 0) return;
        const seat = free[Math.floor(Math.random() * free.length)].seatId;
        coordinatorAt.push(performance.now());
        const held = await api.call(
          'POST',
          `/api/screenings/${id}/holds`,
          member.token,
          { seatIds: [seat] },
          header,
        );
        holdTimes.push(held.ms);
        const key = `${held.status} ${held.body?.code ?? ''}`.trim();
        holdCodes[key] = (holdCodes[key] ?? 0) + 1;
        if (held.status === 403) refused++;
        if (held.status !== 201) continue;
        const paid = await api.call(
          'POST',
          '/api/payments',
          member.token,
          { holdToken: held.body.holdToken, screeningId: id, method: 'CARD', cardNumber: '4242424242424242' },
          { 'idempotency-key': crypto.randomUUID() },
        );
        const paidKey = `${paid.status} ${paid.body?.code ?? ''}`.trim();
        payCodes[paidKey] = (payCodes[paidKey] ?? 0) + 1;
        if (paid.status === 201) sold++;
        return;
      }
    }

    /** Events per second: the mean over the seconds that had any, and the peak over 1 s and 5 s windows. */
    const perSecond = (times: number[], origin: number) => {
      const peakOver = (windowMs: number) => {
        const buckets = new Map<number, number>();
        for (const at of times) {
          const bucket = Math.floor((at - origin) / windowMs);
          buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
        }
        return {
          peak: Math.max(0, ...buckets.values()) / (windowMs / 1000),
          seconds: buckets.size * (windowMs / 1000),
        };
      };
      const second = peakOver(1000);
      return {
        peak: second.peak,
        peak5s: peakOver(5000).peak,
        mean: times.length / Math.max(1, second.seconds),
      };
    };
    // Fairness: every member joined before the opening; their admission order against join order
    // (admissions of one batch share a millisecond: those are ordered by join, against the check).
    const byAdmission = [...admittedAt].sort((x, y) => x.at - y.at || x.order - y.order);
    const joinRank = new Map(
      [...byAdmission].sort((x, y) => x.order - y.order).map((entry, rank) => [entry.order, rank]),
    );
    const rho = spearman(
      byAdmission.map((entry) => joinRank.get(entry.order) as number),
      byAdmission.map((_, rank) => rank),
    );
    return {
      runtime: kit.name,
      users: members.length,
      admitPerMinute,
      joinMs,
      admitted: admittedAt.length,
      admissionsPerSecond: {
        ...perSecond(
          admittedAt.map((entry) => entry.at),
          0,
        ),
        ceiling: admitPerMinute / 60,
      },
      coordinatorRequestsPerSecond: {
        ...perSecond(coordinatorAt, opening),
        ceiling: (admitPerMinute / 60) * 6,
      },
      payCodes,
      refusedBeforeCoordinator: refused,
      openingToAdmissionMs: summarize(admittedAt.map((entry) => entry.at)),
      hold: summarize(holdTimes),
      holdCodes,
      seatsSold: sold,
      seats,
      polls,
      fairness: {
        earlyJoiners: byAdmission.length,
        rho,
        bound: 4 / Math.sqrt(Math.max(1, byAdmission.length)),
      },
    };
  } finally {
    await api.close();
    await server.stop();
  }
}

const database = await createScratchDatabase('marquee_wr_bench');
const connection = database.connect(4);
const buildDir = await mkdtemp(join(tmpdir(), 'marquee-wr-bench-'));
const marqueeRedis = redisUrl(14);
await flushRedis(marqueeRedis);
const results: Result[] = [];
try {
  const accounts = await insertBenchMembers(connection.db, users);
  for (const name of values.runtimes.split(',')) {
    const kit =
      name === 'workers'
        ? await workersKit({ databaseUrl: database.url, buildDir, logDir: buildDir })
        : nodeKit({
            databaseUrl: database.url,
            redisUrl: marqueeRedis,
            baselineRedisUrl: redisUrl(15),
            holdTtlSeconds: 5,
            logDir: buildDir,
          });
    const result = await run(kit, await signTokens(accounts), connection.db);
    results.push(result);
    console.log(JSON.stringify(result, null, 2));
  }
  const { writeFile, mkdir } = await import('node:fs/promises');
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'waiting-room.json'), JSON.stringify(results, null, 2));
} finally {
  await connection.close().catch(() => {});
  await database.drop();
  await flushRedis(marqueeRedis).catch(() => {});
  await rm(buildDir, { recursive: true, force: true });
}
