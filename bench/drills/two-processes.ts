// Drill: one sale served by two Node processes on one Redis and one Postgres, as a deployment with
// several processes runs. Half the VUs talk to each process; both coordinate the same screening
// through Redis (each runs the reducer on its own image, and a commit that lost to the other
// process is reduced again). Watchers on both processes must see every version, in order, and end
// on the real map; the invariants must hold as for one process.
import { flushRedis, redisUrl } from '../../test/support/redis.ts';
import { insertScreening } from '../../test/support/screening-fixture.ts';
import { Sale } from '../flow.ts';
import { startMarqueeNode } from '../runtimes/node.ts';
import { Api } from '../support/http.ts';
import { loggedInMembers } from '../support/members.ts';
import { marqueeSettings } from '../support/settings.ts';
import { Watchers } from '../watchers.ts';
import { runDrill, settleAndCheck } from './drill.ts';

const USERS = 300;
const WATCHERS = 10; // per process

await runDrill('two-processes', async (context) => {
  const redis = redisUrl(14);
  await flushRedis(redis);
  const settings = marqueeSettings({ GATEWAY_LATENCY_MS: '100' });
  const options = { databaseUrl: context.database.url, redisUrl: redis, settings, logDir: context.logDir };
  const servers = await Promise.all([
    startMarqueeNode(options, 'marquee-node-a'),
    startMarqueeNode(options, 'marquee-node-b'),
  ]);
  try {
    const { screeningId } = await insertScreening(context.connection.db, { seats: 200 });
    const members = await loggedInMembers(context.connection.db, USERS);
    const apis = servers.map((server) => new Api(server.url, 32, 16));
    await apis[0]?.seatMap(screeningId);
    const watchers = await Promise.all(
      servers.map((server) =>
        Watchers.open(`${server.url.replace(/^http/, 'ws')}/api/screenings/${screeningId}/live`, WATCHERS),
      ),
    );
    context.log(`a sale of ${USERS} users, half on each of two processes, ${WATCHERS} watchers on each`);
    const sales = apis.map(
      (api, index) =>
        new Sale(api, {
          screeningId,
          members: members.filter((_, position) => position % 2 === index),
          mix: { approve: 0.7, decline: 0.1 },
          seed: 11 + index,
          persistent: true,
          persistForMs: 60_000,
        }),
    );
    const results = await Promise.all(sales.map((sale) => sale.done));
    const [api, other] = apis as [Api, Api];
    const found = await settleAndCheck(context, api, screeningId);
    const problems: string[] = [];
    for (const [index, group] of watchers.entries()) {
      const check = await group.check(found.map);
      if (check.gaps) problems.push(`watchers on process ${index + 1} saw ${check.gaps} version gap(s)`);
      if (check.mismatched)
        problems.push(`${check.mismatched} watcher map(s) on process ${index + 1} differ from the real one`);
      group.close();
    }
    const sold = results
      .flatMap((result) => result.payments)
      .filter((payment) => payment.status === 201)
      .reduce((sum, payment) => sum + payment.seatIds.length, 0);
    if (sold !== found.soldSeats)
      problems.push(`the VUs bought ${sold} seats, Postgres has ${found.soldSeats} sold`);
    const holds = results.map((result) => result.stats.holds);
    if (holds.some((count) => count === 0)) problems.push(`holds per process: ${holds.join(', ')}`);
    context.log(`holds per process: ${holds.join(', ')}; seats sold: ${found.soldSeats}`);
    // Both processes' answers go in the one count printed by the drill.
    api.samples.push(...other.samples);
    await Promise.all(apis.map((each) => each.close()));
    return [{ label: 'Node + Redis, two processes', found, api, problems }];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await flushRedis(redis);
  }
});
