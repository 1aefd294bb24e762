// One runtime's part of `npm run bench`: its baselines and Marquee's hold path under the same
// fixed load, what one live message costs the server (fan-out.ts), then the sale opening with its
// watchers and the invariant checks, then the payment capacity (holds made beforehand, paid as fast
// as the server takes them) and, on the same server, the sale behind a waiting room (waiting-room.ts)
// at a rate chosen from the hold path's measured capacity. Each phase but the live message's also
// records the CPU the load generator itself used, and each server its peak memory.
import type { Pool } from '@neondatabase/serverless';
import type { Database } from '../src/adapters/db/client.ts';
import { insertScreening } from '../test/support/screening-fixture.ts';
import { type FanOutCost, measureFanOut } from './fan-out.ts';
import { Sale, type SaleResult } from './flow.ts';
import { type Invariants, settledInvariants, violations } from './invariants.ts';
import { cpuMeter } from './machine.ts';
import type { RuntimeKit, Server } from './runtimes/server.ts';
import { Api, CARDS, type Sample } from './support/http.ts';
import type { Member } from './support/members.ts';
import { countPerSecond, REQUESTS_PER_ADMISSION, roomRateFor } from './support/room-stats.ts';
import { marqueeSettings } from './support/settings.ts';
import { countByCode, perSecond, type SecondOfRun, type Summary, summarize } from './support/stats.ts';
import { type LoadShape, measureBooking, measureRequest, type ThroughputResult } from './throughput.ts';
import { ROOM_HOLD_TTL_SECONDS, type RoomFigures, saleBehindRoom } from './waiting-room.ts';
import { type WatcherCheck, Watchers } from './watchers.ts';

export interface BenchOptions {
  users: number;
  watchers: number;
  load: LoadShape;
  /** Seat-map and hold requests in flight at once during the sale (the driver's connection pool). */
  pool: number;
  /** Payments in flight at once, besides. */
  paymentPool: number;
  holdTtlSeconds: number;
  seed: number;
  /** Payments of the capacity phase (one pre-held seat each; at most one per member). */
  capacityPayments: number;
  /** The share of the sale's VUs that ask for the best N seats instead of picking. */
  bestShare: number;
  /** The sale behind a waiting room: its members, and its rate (admissions a minute; none: from capacity). */
  room?: { users: number; seats: number; admitPerMinute?: number; maxSeconds: number };
}

/** What Marquee's Postgres saw: the round-trip counter in front of it (bench/support/pg-counter.ts). */
export interface PostgresProbe {
  roundTrips(): Promise<number>;
}

/** Payments as fast as the server takes them: the capacity figure (the sale's is bounded by its VUs). */
export interface CapacityFigures {
  payments: number;
  /** Payments made before the window opened, not measured (the server warms up). */
  warmUp: number;
  approved: number;
  /** Payments in flight at once. */
  inFlight: number;
  durationMs: number;
  paymentsPerSecond: number;
  latency: Summary;
  codes: Record<string, number>;
  /** Postgres round trips (Sync + Query) in the window ÷ payments answered, background work included. */
  roundTripsPerPayment: number;
  /** The load generator's CPU in the window, as a share of one core. */
  driverCpu: number;
  violations: string[];
}

export interface SaleFigures {
  durationMs: number;
  vus: number;
  holds: number;
  holdAttempts: number;
  payments: number;
  /** Hold requests answered per second of the sale (201s and 409s alike). */
  holdRequestsPerSecond: number;
  /** Best-available holds made, asked for, and asked for per second (part of the above). */
  bestHolds: number;
  bestAttempts: number;
  bestRequestsPerSecond: number;
  paymentsPerSecond: number;
  soldSeats: number;
  seats: number;
  latency: Record<string, Summary>;
  codes: Record<string, Record<string, number>>;
  timeToHold: Summary;
  /** Live-update lag bounds and fan-out (see Watchers.lag). */
  lag: { afterCommit: Summary; afterAnswer: Summary; afterRequest: Summary; fanOut: Summary };
  timeline: SecondOfRun[];
  /** Seat-map reads and holds sent in each second of the sale: what the seat coordinator was asked. */
  coordinatorTimeline: number[];
}

export interface RuntimeResult {
  runtime: string;
  throughput: {
    noop: ThroughputResult;
    bare: ThroughputResult;
    marquee: ThroughputResult;
    /** Marquee's floor: an unknown route, 404 through its middleware (request id, log, problem+json). */
    floor: ThroughputResult;
    /** Marquee's hold refused at validation: auth (JWT) and zod, then 400, no coordinator. */
    front: ThroughputResult;
  };
  sale: SaleFigures & { driverCpu: number };
  /** What one live message costs the server (fan-out.ts), with the sale's number of watchers. */
  fanOut: FanOutCost;
  capacity: CapacityFigures;
  /** The sale behind the waiting room (none with --no-room). */
  room?: RoomFigures;
  /** Postgres round trips per successful hold under the fixed load (releases included). */
  roundTripsPerHold: number;
  /** Peak resident memory of each server process, MiB (workerd: the whole process). */
  peakMemoryMiB: { noop?: number; bare?: number; marquee?: number; capacity?: number };
  watchers: WatcherCheck;
  invariants: Omit<Invariants, 'map'>;
  violations: string[];
}

const SEATS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchRuntime(
  kit: RuntimeKit,
  database: { db: Database; pool: Pool },
  members: Member[],
  options: BenchOptions,
  log: (line: string) => void,
  postgres: PostgresProbe,
): Promise<RuntimeResult> {
  const peakMemoryMiB: RuntimeResult['peakMemoryMiB'] = {};
  const asUser = (index: number) => ({ 'x-user': members[index]?.id ?? '' });
  const bearer = (index: number) => ({ authorization: `Bearer ${members[index]?.token}` });

  log(`${kit.name}: no-op route`);
  const noop = await withServer(
    kit.noop(),
    (server) => measureRequest(server, { path: '/noop' }, options.load),
    (mib) => (peakMemoryMiB.noop = mib),
  );
  log(`${kit.name}: bare booking baseline`);
  const bareScreening = await insertScreening(database.db, { seats: SEATS });
  const bare = await withServer(
    kit.bareBooking(),
    (server) => measureBooking(server, { ...bareScreening, who: asUser }, options.load),
    (mib) => (peakMemoryMiB.bare = mib),
  );

  const settings = marqueeSettings({ HOLD_TTL_SECONDS: String(options.holdTtlSeconds) });
  const result = await withServer(
    kit.marquee(settings),
    async (server) => {
      log(`${kit.name}: Marquee hold path`);
      const holdScreening = await insertScreening(database.db, { seats: SEATS });
      const tripsBefore = await postgres.roundTrips();
      const marquee = await measureBooking(server, { ...holdScreening, who: bearer }, options.load);
      // NaN when no hold succeeded (the report prints a dash).
      const booked = (marquee.holdsPerSecond ?? 0) * options.load.durationSeconds;
      const roundTripsPerHold =
        booked > 0 ? ((await postgres.roundTrips()) - tripsBefore) / booked : Number.NaN;
      log(`${kit.name}: Marquee's own floor (an unknown route: middleware, log line, problem+json)`);
      const floor = await measureRequest(server, { path: '/api/no-such-route' }, options.load);
      log(`${kit.name}: Marquee hold refused by validation (auth and zod, no coordinator)`);
      const front = await measureRequest(
        server,
        {
          path: `/api/screenings/${holdScreening.screeningId}/holds`,
          method: 'POST',
          headers: { ...bearer(0), 'content-type': 'application/json' },
          body: JSON.stringify({ seatIds: ['not-a-seat'] }),
        },
        options.load,
      );

      log(`${kit.name}: what a live message costs, ${options.watchers} watchers`);
      const fanOut = await measureFanOut(
        server,
        await insertScreening(database.db, { seats: SEATS }),
        members[0]?.token ?? '',
        options.watchers,
      );

      log(`${kit.name}: sale opening, ${options.users} users, ${options.watchers} watchers`);
      const { screeningId } = await insertScreening(database.db, { seats: SEATS });
      const api = new Api(server.url, options.pool, options.paymentPool);
      await api.seatMap(screeningId); // the actor / Redis image is built before the window opens
      const watchers = await Watchers.open(
        `${server.url.replace(/^http/, 'ws')}/api/screenings/${screeningId}/live`,
        options.watchers,
      );
      try {
        const cpu = cpuMeter();
        const result = await new Sale(api, {
          screeningId,
          members: members.slice(0, options.users),
          mix: { approve: 0.7, decline: 0.1 },
          seed: options.seed,
          bestShare: options.bestShare,
          // As real clients do: ask again after a 503 or no answer, a payment with its own key.
          persistent: true,
          persistForMs: 30_000,
          // A quarter of those who found nothing free wait for seats given back, every 2 s or so.
          comeBack: { share: 0.25, everyMs: 2_000 },
        }).done;
        const driverCpu = cpu.share();
        const sample = [...api.samples];
        // Every abandoned hold's deadline has passed 1.5 s ago: none may still be HOLD.
        const wait = Math.max(result.lastAbandonedExpiry - Date.now(), 0) + 1_500;
        log(`${kit.name}: waiting ${(wait / 1000).toFixed(1)} s for abandoned holds to expire`);
        await sleep(wait);
        const afterTtl = await api.seatMap(screeningId);
        const stillHeld = afterTtl.body.seats.filter((seat) => seat.status === 'HOLD').length;
        const { map, ...invariants } = await settledInvariants(database.pool, api, screeningId, 30_000);
        const watched = await watchers.check(map);
        const problems = violations({ ...invariants, map });
        if (stillHeld) problems.push(`${stillHeld} seat(s) still HOLD 1.5 s past the last hold deadline`);
        if (watched.gaps) problems.push(`watchers saw ${watched.gaps} version gap(s)`);
        if (watched.mismatched)
          problems.push(`${watched.mismatched} watcher map(s) differ from the real one`);
        const soldByDriver = result.payments
          .filter((payment) => payment.status === 201)
          .reduce((sum, payment) => sum + payment.seatIds.length, 0);
        if (soldByDriver !== invariants.soldSeats)
          problems.push(`the VUs bought ${soldByDriver} seats, Postgres has ${invariants.soldSeats} sold`);
        return {
          throughput: { noop, bare, marquee, floor, front },
          sale: { ...saleFigures(result, sample, watchers.lag(result.caused), options.users), driverCpu },
          fanOut,
          roundTripsPerHold,
          watchers: watched,
          invariants,
          problems,
        };
      } finally {
        watchers.close();
        await api.close();
      }
    },
    (mib) => (peakMemoryMiB.marquee = mib),
  );

  // Holds must outlive the queue of payments: a server of its own with a long hold TTL, which the
  // sale behind the waiting room uses next.
  const count = Math.min(options.capacityPayments, members.length);
  // Paid first and not measured: the server's connections, plans and code warm, as in a sale that runs.
  const warmUp = Math.min(options.paymentPool, members.length - count);
  const { capacity, room } = await withServer(
    kit.marquee(marqueeSettings({ HOLD_TTL_SECONDS: String(ROOM_HOLD_TTL_SECONDS) })),
    async (server) => {
      log(`${kit.name}: payment capacity, ${count} pre-held seats paid, ${options.paymentPool} in flight`);
      const capacity = await measurePaymentCapacity(
        server.url,
        database,
        members.slice(0, count),
        members.slice(count, count + warmUp),
        options,
        postgres,
      );
      if (!options.room) return { capacity, room: undefined };
      const measured = result.throughput.marquee.requestsPerSecond;
      const admitPerMinute = options.room.admitPerMinute ?? roomRateFor(measured);
      const rateChosen =
        options.room.admitPerMinute === undefined
          ? `½ of the hold path's ${Math.round(measured)} requests/s ÷ ${REQUESTS_PER_ADMISSION}`
          : '--room-rate';
      log(
        `${kit.name}: sale behind the waiting room, ${options.room.users} members, ${options.room.seats} seats, ${admitPerMinute} admitted a minute`,
      );
      const began = performance.now();
      const room = await saleBehindRoom(server.url, database, members.slice(0, options.room.users), {
        admitPerMinute,
        rateChosen,
        seats: options.room.seats,
        pool: options.pool,
        paymentPool: options.paymentPool,
        maxSeconds: options.room.maxSeconds,
        seed: options.seed,
      });
      log(`${kit.name}: waiting-room phase done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
      return { capacity, room };
    },
    (mib) => (peakMemoryMiB.capacity = mib),
  );
  const { problems, ...rest } = result;
  return {
    runtime: kit.name,
    ...rest,
    capacity,
    room,
    peakMemoryMiB,
    violations: [
      ...problems,
      ...capacity.violations.map((problem) => `payment capacity: ${problem}`),
      ...(room?.violations ?? []).map((problem) => `waiting room: ${problem}`),
    ],
  };
}

/**
 * Each member holds one seat of a new screening; the warm-up members' holds are paid first, then
 * every measured hold is paid, `paymentPool` at once.
 */
async function measurePaymentCapacity(
  url: string,
  database: { db: Database; pool: Pool },
  members: Member[],
  warmUpMembers: Member[],
  options: BenchOptions,
  postgres: PostgresProbe,
): Promise<CapacityFigures> {
  const everyone = [...members, ...warmUpMembers];
  const { screeningId, seatIds } = await insertScreening(database.db, { seats: everyone.length });
  const api = new Api(url, options.pool, options.paymentPool);
  try {
    const held = await Promise.all(
      everyone.map((member, index) => api.hold(member.token, screeningId, [seatIds[index] ?? ''])),
    );
    const problems: string[] = [];
    const refused = held.filter((hold) => hold.status !== 201).length;
    if (refused) problems.push(`${refused} of ${held.length} pre-holds were refused`);
    const runId = Date.now().toString(36);
    /** Each made hold paid by its member with the approving card, all at once (the pool bounds them). */
    const payEach = (holds: typeof held, payers: Member[], keyPrefix: string) =>
      Promise.all(
        holds.map((hold, index) =>
          hold.status === 201
            ? api.pay(payers[index]?.token ?? '', `${keyPrefix}-${runId}-${index}`, {
                holdToken: hold.body.holdToken,
                screeningId,
                cardNumber: CARDS.approve,
              })
            : undefined,
        ),
      );
    const warmUp = await payEach(held.slice(members.length), warmUpMembers, 'warm');
    const warmApproved = warmUp.filter((reply) => reply?.status === 201).length;
    if (warmApproved !== warmUpMembers.length)
      problems.push(`${warmApproved} of ${warmUpMembers.length} warm-up payments approved`);
    const holds = held.slice(0, members.length);
    api.samples.length = 0; // the measured payments only
    // What the holds and the warm-up wrote behind them settles before the window opens.
    await sleep(1_500);
    const tripsBefore = await postgres.roundTrips();
    const cpu = cpuMeter();
    const started = performance.now();
    const replies = await payEach(holds, members, 'capacity');
    const durationMs = performance.now() - started;
    const driverCpu = cpu.share();
    const trips = (await postgres.roundTrips()) - tripsBefore;
    const answered = replies.filter((reply) => reply !== undefined);
    const approved = answered.filter((reply) => reply.status === 201).length;
    const paid = api.samples.filter((sample) => sample.endpoint === 'payment');
    const found = await settledInvariants(database.pool, api, screeningId, 30_000);
    problems.push(...violations(found));
    if (found.soldSeats !== approved + warmApproved)
      problems.push(
        `${approved} payments and ${warmApproved} warm-up payments approved, Postgres has ${found.soldSeats} seats sold`,
      );
    return {
      payments: answered.length,
      warmUp: warmUpMembers.length,
      approved,
      inFlight: options.paymentPool,
      durationMs,
      paymentsPerSecond: approved / (durationMs / 1000),
      latency: summarize(paid.map((sample) => sample.end - sample.start)),
      codes: countByCode(paid),
      roundTripsPerPayment: trips / Math.max(answered.length, 1),
      driverCpu,
      violations: problems,
    };
  } finally {
    await api.close();
  }
}

function saleFigures(
  result: SaleResult,
  samples: Sample[],
  lag: ReturnType<Watchers['lag']>,
  vus: number,
): SaleFigures {
  const seconds = (result.endedAt - result.startedAt) / 1000;
  const inWindow = samples.filter((sample) => sample.start >= result.startedAt);
  const endpoints = ['seat map', 'hold', 'best hold', 'payment'] as const;
  return {
    durationMs: result.endedAt - result.startedAt,
    vus,
    holds: result.stats.holds,
    holdAttempts: result.stats.holdAttempts,
    payments: result.stats.paymentsDone,
    holdRequestsPerSecond: result.stats.holdAttempts / seconds,
    bestHolds: result.stats.bestHolds,
    bestAttempts: result.stats.bestAttempts,
    bestRequestsPerSecond: result.stats.bestAttempts / seconds,
    paymentsPerSecond: result.stats.paymentsDone / seconds,
    soldSeats: result.payments.filter((p) => p.status === 201).reduce((sum, p) => sum + p.seatIds.length, 0),
    seats: SEATS,
    latency: Object.fromEntries(
      endpoints.map((endpoint) => [
        endpoint,
        summarize(inWindow.filter((s) => s.endpoint === endpoint).map((s) => s.end - s.start)),
      ]),
    ),
    codes: Object.fromEntries(
      endpoints.map((endpoint) => [endpoint, countByCode(inWindow.filter((s) => s.endpoint === endpoint))]),
    ),
    timeToHold: summarize(result.timeToHold),
    lag: {
      afterCommit: summarize(lag.afterCommit),
      afterAnswer: summarize(lag.afterAnswer),
      afterRequest: summarize(lag.afterRequest),
      fanOut: summarize(lag.fanOut),
    },
    timeline: perSecond(inWindow, result.startedAt),
    coordinatorTimeline: countPerSecond(
      inWindow.filter((sample) => sample.endpoint !== 'payment').map((sample) => sample.start),
      result.startedAt,
    ),
  };
}

async function withServer<T>(
  starting: Promise<Server>,
  work: (server: Server) => Promise<T>,
  peak: (mib: number | undefined) => void,
): Promise<T> {
  const server = await starting;
  try {
    return await work(server);
  } finally {
    peak(await server.peakMemoryMiB());
    await server.stop();
  }
}
