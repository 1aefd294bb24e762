// Marquee off Cloudflare: the same Hono app on Node or Deno, with the Redis coordinator in place of
// Durable Objects and the same Postgres (embedded unless DATABASE_URL). The runtime entry files
// (node.ts, deno.ts) add only what differs: serving HTTP and upgrading WebSockets.
import type { Context } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import { MockPaymentGateway } from '../adapters/payment/mock-gateway.ts';
import { RedisRateLimiter } from '../adapters/rate-limit/redis.ts';
import { RedisSeatCoordinator } from '../adapters/redis/redis-coordinator.ts';
import { readSettings } from '../config/settings.ts';
import { type App, createApp } from '../http/app.ts';
import { clientIpFrom } from '../http/client-ip.ts';
import type { AppEnv, Runtime } from '../http/context.ts';
import { LiveSocketShares, liveSeatEvents } from '../http/live-socket.ts';
import { problemBody } from '../http/problem.ts';
import { mountWebPage, type ServeStatic } from '../http/web-page.ts';
import { openLocalDatabase } from '../local/database.ts';
import { runMigrations } from '../local/migrate.ts';
import { seedDemo, upsertAdmin } from '../local/seed.ts';
import { randomSecret } from '../local/startup.ts';
import { log } from '../log.ts';
import { settleDueWork } from '../services/due-work.ts';
import { runRetention } from './scheduled.ts';

const RETENTION_INTERVAL_MS = 60 * 60_000;

export interface StandaloneOptions {
  runtime: 'node' | 'deno';
  env: Record<string, string | undefined>;
  /** The runtime's hono WebSocket helper (late-bound: Node's needs the app first). */
  upgradeWebSocket: () => UpgradeWebSocket;
  /** The socket's remote address. */
  remoteAddress(c: Context<AppEnv>): string | undefined;
  /** The runtime's hono static-file middleware, for the web page (dist/web). */
  serveStatic: ServeStatic;
}

export interface Standalone {
  app: App;
  port: number;
  close(): Promise<void>;
}

export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const settings = readSettings(options.env);
  const database = await openLocalDatabase(settings);
  await runMigrations(database.url, database.proxy);
  const seeding = database.connect(2);
  try {
    await upsertAdmin(seeding.db, settings.ADMIN_LOGIN_ID, settings.ADMIN_PASSWORD);
    await seedDemo(seeding.db, settings.TIMEZONE);
  } finally {
    await seeding.close();
  }
  if (!settings.JWT_SECRET)
    log('warn', 'JWT_SECRET is not set: using a random key; tokens die with this process');
  const jwtSecret = settings.JWT_SECRET ?? randomSecret();

  const shared = database.connect(20);
  const db = () => shared.db;
  const coordinator = new RedisSeatCoordinator({
    url: settings.REDIS_URL,
    db,
    settleDueWork: (screeningId, work, seats) =>
      settleDueWork(
        {
          db: db(),
          gateway: new MockPaymentGateway(db, { latencyMs: settings.GATEWAY_LATENCY_MS }),
          seats,
          problem: problemBody,
        },
        screeningId,
        work,
      ),
    settings,
  });
  await coordinator.start();

  const clientIp: Runtime['clientIp'] = (c) =>
    clientIpFrom(c.req.raw.headers, settings.TRUST_PROXY, options.remoteAddress(c));
  const liveSockets = new LiveSocketShares(settings.LIVE_SOCKETS_PER_IP_PER_SCREENING);
  const runtime: Runtime = {
    name: options.runtime,
    settings: { ...settings, JWT_SECRET: jwtSecret },
    openDatabase: () => ({ db: shared.db, release: async () => {} }),
    seats: coordinator,
    paymentGateway: (leaseDb, faults) =>
      new MockPaymentGateway(leaseDb, {
        latencyMs: settings.GATEWAY_LATENCY_MS,
        refundsFail: () => faults.refundFails,
      }),
    healthChecks: { redis: () => coordinator.ping() },
    // Counted in the same Redis, through the coordinator's connection (offline queue off: a Redis
    // that is gone fails open at once instead of holding every request).
    rateLimiter: new RedisRateLimiter(coordinator.client()),
    clientIp,
    liveSeatMap: (c, screeningId) =>
      options.upgradeWebSocket()(
        c,
        liveSeatEvents(coordinator, screeningId, liveSockets.slot(screeningId, clientIp(c))),
      ),
  };
  const app = createApp(runtime);
  mountWebPage(app, options.serveStatic);
  // What the Workers cron trigger does, hourly: finished screenings' seat state and old records go.
  const retention = setInterval(
    () =>
      void runRetention(shared.db, coordinator).catch((error: unknown) =>
        log('warn', 'retention run failed', { error: String(error) }),
      ),
    RETENTION_INTERVAL_MS,
  );
  return {
    app,
    port: settings.PORT,
    async close() {
      clearInterval(retention);
      await coordinator.close();
      await shared.close().catch(() => {});
      await database.stop();
    },
  };
}
