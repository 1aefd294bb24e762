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

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field below
  body: any;
  ms: number;
}

function client(baseUrl: string, connections: number) {
  const agent = new Agent({ connections, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const slots = pLimit(connections);
  const call = (method: 'GET' | 'POST', path: string, token: string, body?: unknown, headers = {}) =>
    slots(async (): Promise<Reply> => {
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
  /** Admissions per second seen by the members, peak over 1-second windows, and the ceiling. */
  admissionsPerSecond: { peak: number; mean: number; ceiling: number };
  /** Seat-map reads and holds of admitted members: what the seat coordinator is asked, per second. */
  coordinatorRequestsPerSecond: { peak: number; mean: number };
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
  const server = await kit.marquee(marqueeSettings());
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
    await db.execute(
      sql`update screenings set sales_open_at = now() + interval '6 seconds' where id = ${id}`,
    );
    const opening = performance.now() + 6_000;
    const deadline = opening + maxMs;
    let polls = 0;
    let sold = 0;
    let refused = 0;
    const coordinatorAt: number[] = [];
    const admittedAt: { order: number; at: number }[] = [];
    const holdTimes: number[] = [];
    const holdCodes: Record<string, number> = {};
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
            admittedAt.push({ order, at: performance.now() - opening });
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
        if (paid.status === 201) sold++;
        return;
      }
    }

    const perSecond = (times: number[], origin: number) => {
      const buckets = new Map<number, number>();
      for (const at of times)
        buckets.set(
          Math.floor((at - origin) / 1000),
          (buckets.get(Math.floor((at - origin) / 1000)) ?? 0) + 1,
        );
      const counts = [...buckets.values()];
      const span = Math.max(1, buckets.size);
      return { peak: Math.max(0, ...counts), mean: counts.reduce((a, b) => a + b, 0) / span };
    };
    // Fairness: every member joined before the opening; their admission order against join order.
    const byAdmission = [...admittedAt].sort((x, y) => x.at - y.at);
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
      coordinatorRequestsPerSecond: perSecond(coordinatorAt, opening),
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
