// `npm run bench:waiting-room`: the sale behind a waiting room alone (waiting-room.ts, the same
// phase `npm run bench` runs after its room-less sale), at a rate given here rather than chosen
// from a capacity measured in the same run. Writes waiting-room.json and prints the report's table.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../src/local/scratch-database.ts';
import { flushRedis, redisUrl } from '../test/support/redis.ts';
import { roomRows } from './report.ts';
import { nodeKit } from './runtimes/node.ts';
import { workersKit } from './runtimes/workers.ts';
import { insertBenchMembers } from './support/members.ts';
import { marqueeSettings } from './support/settings.ts';
import { ROOM_HOLD_TTL_SECONDS, type RoomFigures, saleBehindRoom } from './waiting-room.ts';

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

const database = await createScratchDatabase('marquee_wr_bench');
const connection = database.connect(4);
const buildDir = await mkdtemp(join(tmpdir(), 'marquee-wr-bench-'));
const marqueeRedis = redisUrl(14);
await flushRedis(marqueeRedis);
const results: { runtime: string; room: RoomFigures }[] = [];
try {
  const accounts = await insertBenchMembers(connection.db, Number(values.users));
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
    const server = await kit.marquee(marqueeSettings({ HOLD_TTL_SECONDS: String(ROOM_HOLD_TTL_SECONDS) }));
    try {
      const room = await saleBehindRoom(server.url, connection, accounts, {
        admitPerMinute: Number(values.rate),
        rateChosen: '--rate',
        seats: Number(values.seats),
        pool: Number(values.pool),
        paymentPool: 32,
        maxSeconds: Number(values['max-seconds']),
        seed: 20261125,
      });
      results.push({ runtime: kit.name, room });
    } finally {
      await server.stop();
    }
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'waiting-room.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(roomRows(results).join('\n'));
  for (const { runtime, room } of results)
    for (const problem of room.violations) console.error(`VIOLATION (${runtime}): ${problem}`);
  process.exitCode = results.some(({ room }) => room.violations.length) ? 1 : 0;
} finally {
  await connection.close().catch(() => {});
  await database.drop();
  await flushRedis(marqueeRedis).catch(() => {});
  await rm(buildDir, { recursive: true, force: true });
}
