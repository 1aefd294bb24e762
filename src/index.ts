// The Workers entry: builds the app once per isolate from the Worker's bindings, with a Neon Pool
// per request (a Pool must not outlive the request that opened it).
import { connect } from './adapters/db/client.ts';
import { DurableObjectSeatCoordinator } from './adapters/durable-object/coordinator.ts';
import { ScreeningActor } from './adapters/durable-object/screening-actor.ts';
import { readSettings } from './config/settings.ts';
import { type App, createApp } from './http/app.ts';
import type { Runtime } from './http/context.ts';

export { ScreeningActor };

export function workerRuntime(env: Cloudflare.Env): Runtime {
  const settings = readSettings(env as unknown as Record<string, unknown>);
  const databaseUrl = settings.DATABASE_URL;
  const seats = new DurableObjectSeatCoordinator(env.SCREENING_ACTOR);
  return {
    name: 'workers',
    settings,
    openDatabase() {
      if (!databaseUrl) throw new Error('DATABASE_URL is not set for this Worker');
      const { db, close } = connect(databaseUrl, settings.PG_WS_PROXY, 1);
      return { db, release: close };
    },
    seats,
    liveSeatMap: (screeningId, request) => seats.live(screeningId, request),
  };
}

let app: App | undefined;

export default {
  fetch(request, env, ctx) {
    app ??= createApp(workerRuntime(env));
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
