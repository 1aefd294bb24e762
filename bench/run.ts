// `npm run bench`: the sale-opening benchmark. Starts everything it measures itself (Marquee's
// Worker on workerd through Miniflare, Marquee on Node with Redis, and their baselines), against a
// Postgres database of its own, runs both runtimes one after the other in the same run (each: the
// fixed load, what a live message costs, the sale opening, the payment capacity, the sale behind a waiting room), checks the
// invariants and writes results.json, results.md and chart.png. Exits 1 on any violation.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../src/local/scratch-database.ts';
import { flushRedis, redisUrl } from '../test/support/redis.ts';
import { writeChart } from './chart.ts';
import { measurePieces } from './costs.ts';
import { describeMachine, LoadSampler, postgresConnectMs } from './machine.ts';
import { type RunReport, writeReport } from './report.ts';
import { benchRuntime, type RuntimeResult } from './runtime-bench.ts';
import { nodeKit } from './runtimes/node.ts';
import { workersKit } from './runtimes/workers.ts';
import { insertBenchMembers, signTokens } from './support/members.ts';
import { startPgCounterProcess } from './support/pg-counter.ts';

const USAGE = `npm run bench -- [options]
  --users N         virtual users in the sale opening (default 2000, at most 10000)
  --watchers N      live seat-map watchers per runtime, in the sale and in the cost of a live
                    message (default 500)
  --duration S      seconds of fixed load per baseline and hold-path target (default 10)
  --connections N   connections of the fixed load (default 50, at most 200)
  --pool N          seat-map and hold requests in flight at most during the sale (default 64)
  --payment-pool N  payments in flight at most, besides (default 32; on Workers each one opens
                    a Postgres connection of its own, and Postgres allows 100 by default)
  --payments N      payments of the capacity phase, one pre-held seat each (default 300)
  --best-share F    share of the sale's users who ask for the best N seats instead of picking (default 0.2)
  --room-users N    members who join the waiting room before its sale opens (default 10000)
  --room-rate N     the room's admissions a minute (default: from each runtime's measured hold
                    path: half its requests/s, ÷ 6 requests an admission may make, × 60)
  --room-seats N    seats of the screening behind the room (default 200, as the sale's; at most 260)
  --room-seconds S  members of the room stop asking this long after its opening (default 300)
  --no-room         skip the sale behind the waiting room
  --runtimes LIST   workers,node (default both)
  --out DIR         where results go (default bench/results)
  --no-chart        skip the PNG chart
Postgres: a database of the run's own is made next to DATABASE_URL (default ${'postgres://postgres@127.0.0.1:5432/postgres'}).
Redis: REDIS_URL (default redis://127.0.0.1:6379), databases 14 (Marquee) and 15 (baseline), flushed.`;

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: process.env.BENCH_USERS ?? '2000' },
    watchers: { type: 'string', default: process.env.BENCH_WATCHERS ?? '500' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    connections: { type: 'string', default: '50' },
    pool: { type: 'string', default: '64' },
    'payment-pool': { type: 'string', default: '32' },
    payments: { type: 'string', default: '300' },
    'best-share': { type: 'string', default: '0.2' },
    'room-users': { type: 'string', default: '10000' },
    'room-rate': { type: 'string' },
    'room-seats': { type: 'string', default: '200' },
    'room-seconds': { type: 'string', default: '300' },
    'no-room': { type: 'boolean', default: false },
    runtimes: { type: 'string', default: 'workers,node' },
    out: { type: 'string', default: 'bench/results' },
    'no-chart': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const options = {
  users: Number(values.users),
  watchers: Number(values.watchers),
  load: { connections: Number(values.connections), durationSeconds: Number(values.duration) },
  pool: Number(values.pool),
  paymentPool: Number(values['payment-pool']),
  capacityPayments: Number(values.payments),
  holdTtlSeconds: 5,
  seed: 20261125,
  bestShare: Number(values['best-share']),
  room: values['no-room']
    ? undefined
    : {
        users: Number(values['room-users']),
        seats: Number(values['room-seats']),
        admitPerMinute: values['room-rate'] === undefined ? undefined : Number(values['room-rate']),
        maxSeconds: Number(values['room-seconds']),
      },
};
const room = options.room;
if (
  !(options.users >= 1 && options.users <= 10_000) ||
  (room &&
    (!(room.users >= 1 && room.users <= 100_000) ||
      !(room.seats >= 1 && room.seats <= 260) ||
      !(room.maxSeconds > 0) ||
      !(
        room.admitPerMinute === undefined ||
        (room.admitPerMinute >= 1 && room.admitPerMinute <= 100_000)
      ))) ||
  !(options.load.connections <= 200) ||
  !(options.bestShare >= 0 && options.bestShare <= 1)
) {
  console.error(USAGE);
  process.exit(2);
}

const started = Date.now();
const log = (line: string) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const outDir = resolve(values.out);
const logDir = join(outDir, 'logs');
await mkdir(logDir, { recursive: true });
const buildDir = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
const load = new LoadSampler();
const marqueeRedis = redisUrl(14);
const baselineRedis = redisUrl(15);
await Promise.all([flushRedis(marqueeRedis), flushRedis(baselineRedis)]);
const database = await createScratchDatabase('marquee_bench');
const connection = database.connect(4);
// Marquee reaches Postgres through a proxy that counts round trips; the bench's own queries do not.
const postgres = await startPgCounterProcess(database.url);
// Before any server runs: what a new connection costs on a quiet machine.
const connectMs = await postgresConnectMs(database.url);
let failed = false;
try {
  const memberCount = Math.max(options.users, room?.users ?? 0, 200);
  log(`database ${new URL(database.url).pathname.slice(1)}; inserting ${memberCount} members`);
  const members = await insertBenchMembers(connection.db, memberCount);
  const kits = [];
  for (const name of values.runtimes.split(',')) {
    if (name === 'workers') {
      log('building the Worker and the baseline bundles');
      kits.push(await workersKit({ databaseUrl: postgres.url, buildDir, logDir }));
    } else if (name === 'node') {
      kits.push(
        nodeKit({
          databaseUrl: postgres.url,
          redisUrl: marqueeRedis,
          baselineRedisUrl: baselineRedis,
          holdTtlSeconds: options.holdTtlSeconds,
          logDir,
        }),
      );
    } else throw new Error(`unknown runtime ${name}`);
  }
  const runtimes: RuntimeResult[] = [];
  for (const kit of kits) {
    // Tokens live 15 minutes: signed again just before each runtime's part.
    const signed = await signTokens(members);
    runtimes.push(await benchRuntime(kit, connection, signed, options, log, postgres));
    await flushRedis(marqueeRedis);
  }
  const report: RunReport = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: await describeMachine(connection.pool, marqueeRedis, load.stop(), connectMs),
    options: {
      users: options.users,
      watchers: options.watchers,
      connections: options.load.connections,
      durationSeconds: options.load.durationSeconds,
      pool: options.pool,
      paymentPool: options.paymentPool,
      capacityPayments: options.capacityPayments,
      room: room && { users: room.users, rate: room.admitPerMinute ?? 'from capacity' },
    },
    runtimes,
    pieces: await measurePieces(),
  };
  console.log(`\n${await writeReport(outDir, report)}`);
  if (!values['no-chart']) log(`chart: ${await writeChart(outDir, report)}`);
  log(`results: ${join(outDir, 'results.md')}, ${join(outDir, 'results.json')}`);
  for (const runtime of runtimes) {
    for (const problem of runtime.violations) console.error(`VIOLATION (${runtime.runtime}): ${problem}`);
    failed ||= runtime.violations.length > 0;
  }
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
} finally {
  load.stop();
  await connection.close().catch(() => {});
  await postgres.close();
  await database.drop();
  await Promise.all([flushRedis(marqueeRedis), flushRedis(baselineRedis)]).catch(() => {});
  await rm(buildDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
