// The Workers entry: builds the app once per isolate from the Worker's bindings, with a Neon Pool
// per request (a Pool must not outlive the request that opened it), and exports the Durable Objects
// with the use cases they hand their due work to.
import { connect } from './adapters/db/client.ts';
import { DurableObjectSeatCoordinator } from './adapters/durable-object/coordinator.ts';
import { QueueRoom } from './adapters/durable-object/queue-room.ts';
import { ScreeningActorBase } from './adapters/durable-object/screening-actor.ts';
import { DurableObjectWaitingRoom } from './adapters/durable-object/waiting-room.ts';
import { MockPaymentGateway } from './adapters/payment/mock-gateway.ts';
import { DurableObjectRateLimiter, RateLimitCounter } from './adapters/rate-limit/durable-object.ts';
import { readSettings } from './config/settings.ts';
import { runRetention } from './entries/scheduled.ts';
import { type App, createApp } from './http/app.ts';
import { clientIpFrom } from './http/client-ip.ts';
import type { Runtime } from './http/context.ts';
import { problemBody } from './http/problem.ts';
import { settleDueWork } from './services/due-work.ts';

export { QueueRoom, RateLimitCounter };

/** The screening actor, with what its alarm finds due (payments, refunds) settled by the use case. */
export class ScreeningActor extends ScreeningActorBase {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    const { GATEWAY_LATENCY_MS } = readSettings(env as unknown as Record<string, unknown>);
    super(ctx, env, (screeningId, work, db, seats) => {
      const gateway = new MockPaymentGateway(() => db, { latencyMs: GATEWAY_LATENCY_MS });
      return settleDueWork({ db, gateway, seats, problem: problemBody }, screeningId, work);
    });
  }
}

export function workerRuntime(env: Cloudflare.Env): Runtime {
  const settings = readSettings(env as unknown as Record<string, unknown>);
  const databaseUrl = settings.DATABASE_URL;
  const seats = new DurableObjectSeatCoordinator(env.SCREENING_ACTOR);
  // Cloudflare sets CF-Connecting-IP itself; a client cannot choose it.
  const clientIp: Runtime['clientIp'] = (c) =>
    clientIpFrom(c.req.raw.headers, settings.TRUST_PROXY, c.req.header('cf-connecting-ip'));
  return {
    name: 'workers',
    settings,
    openDatabase() {
      if (!databaseUrl) throw new Error('DATABASE_URL is not set for this Worker');
      const { db, close } = connect(databaseUrl, settings.PG_WS_PROXY, 1);
      return { db, release: close };
    },
    seats,
    waitingRoom: new DurableObjectWaitingRoom(env.QUEUE_ROOM),
    paymentGateway: (db, faults) =>
      new MockPaymentGateway(db, {
        latencyMs: settings.GATEWAY_LATENCY_MS,
        refundsFail: () => faults.refundFails,
      }),
    liveSeatMap: (c, screeningId) => seats.live(screeningId, c.req.raw, clientIp(c), c.get('requestId')),
    rateLimiter: new DurableObjectRateLimiter(env.RATE_LIMITER),
    clientIp,
  };
}

let app: App | undefined;

export default {
  fetch(request, env, ctx) {
    app ??= createApp(workerRuntime(env));
    return app.fetch(request, env, ctx);
  },
  async scheduled(_controller, env, ctx) {
    const settings = readSettings(env as unknown as Record<string, unknown>);
    if (!settings.DATABASE_URL) throw new Error('DATABASE_URL is not set for this Worker');
    const connection = connect(settings.DATABASE_URL, settings.PG_WS_PROXY, 1);
    const actors = env.SCREENING_ACTOR;
    const work = runRetention(connection.db, {
      purge: (screeningId) => actors.get(actors.idFromName(screeningId)).purge(),
    }).finally(() => connection.close());
    ctx.waitUntil(work);
    await work;
  },
} satisfies ExportedHandler<Cloudflare.Env>;
