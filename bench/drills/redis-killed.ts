// Drill: Redis killed (SIGKILL) in the middle of a sale on the Node runtime and started again
// empty on the same port. Writes meet 503 while it is down and the VUs keep asking; after the
// restart the seats are rebuilt from Postgres, payments that were in flight settle at their
// deadline, and nothing is sold twice or paid for without its seats.
import { freePort } from '../../src/local/embedded-postgres.ts';
import { redisServer } from '../../test/support/redis-server.ts';
import { startMarqueeNode } from '../runtimes/node.ts';
import { marqueeSettings } from '../support/settings.ts';
import { answered, paymentsMidway, runDrill, settleAndCheck, startSale, until } from './drill.ts';

await runDrill('redis-killed', async (context) => {
  const redis = redisServer(await freePort());
  await redis.start();
  const server = await startMarqueeNode({
    databaseUrl: context.database.url,
    redisUrl: redis.url,
    settings: marqueeSettings({
      PAYMENT_TIMEOUT_SECONDS: '3',
      GATEWAY_LATENCY_MS: '300',
      REDIS_HEALTH_INTERVAL_MS: '300',
    }),
    logDir: context.logDir,
  });
  try {
    const { api, screeningId, sale } = await startSale(context, server, {
      users: 150,
      mix: { approve: 0.7, decline: 0.1 },
    });
    await until('payments midway', async () => (await paymentsMidway(context, screeningId)) >= 5);
    context.log(`killing Redis with ${api.inFlight.payment} payments in flight`);
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.start();
    context.log('Redis is back, empty');
    const result = await sale.done;
    context.log(
      `sale over: ${result.stats.holds} holds, ${result.payments.filter((p) => p.status === 201).length} paid; settling`,
    );
    const found = await settleAndCheck(context, api, screeningId);
    const refused = answered(api, 503);
    await api.close();
    return [
      {
        label: 'Node + Redis',
        found,
        api,
        problems:
          refused > 0 ? [] : ['no request met the outage (no 503): the drill did not test what it says'],
      },
    ];
  } finally {
    await server.stop();
    await redis.kill();
  }
});
