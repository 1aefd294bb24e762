// Drill: the Durable Objects evicted mid-sale. workerd is disposed and started again over the same
// Durable Object storage (Miniflare, persisted to disk): every actor loses its memory, its
// connections and whatever requests were running, and keeps its SQLite and its alarm, as after an
// eviction or a crash. Holds and payments go on afterwards; what died half-way is settled.
import { join } from 'node:path';
import { workersKit } from '../runtimes/workers.ts';
import { marqueeSettings } from '../support/settings.ts';
import { paymentsMidway, runDrill, settleAndCheck, startSale, until } from './drill.ts';

await runDrill('do-evicted', async (context) => {
  const kit = await workersKit({
    databaseUrl: context.database.url,
    buildDir: context.tmp,
    logDir: context.logDir,
    persistPath: join(context.tmp, 'storage'),
  });
  const server = await kit.marquee(
    marqueeSettings({ PAYMENT_TIMEOUT_SECONDS: '3', GATEWAY_LATENCY_MS: '300' }),
  );
  try {
    const { api, screeningId, sale } = await startSale(context, server, {
      users: 150,
      mix: { approve: 0.7, decline: 0.1 },
    });
    await until('payments midway', async () => (await paymentsMidway(context, screeningId)) >= 5);
    const holdsBefore = sale.stats.holds;
    context.log(`evicting: workerd goes down with ${api.inFlight.payment} payments in flight`);
    const evictedAt = performance.now();
    await server.restart?.();
    const cut = api.samples.filter(
      (s) => s.endpoint === 'payment' && s.start < evictedAt && s.end > evictedAt,
    );
    context.log(
      `workerd is back over the same storage; ${cut.length} payment requests were cut off (${cut.map((s) => s.code ?? s.status).join(', ')})`,
    );
    await sale.done;
    const holdsAfter = sale.stats.holds - holdsBefore;
    const found = await settleAndCheck(context, api, screeningId);
    await api.close();
    const lost = api.samples.filter((sample) => sample.status === 0).length;
    return [
      {
        label: 'Workers',
        found,
        api,
        problems: [
          ...(lost > 0 ? [] : ['no request met the eviction: the drill did not test what it says']),
          ...(holdsAfter > 0 ? [] : ['no hold was made after the eviction']),
        ],
      },
    ];
  } finally {
    await server.stop();
  }
});
