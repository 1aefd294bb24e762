// Child process that hosts one workerd through Miniflare's API and, when the Worker needs Postgres,
// the project's WebSocket relay; kept out of the load driver's process so their work does not
// compete with the measuring. Load goes to a socket of workerd's own bound straight to the Worker
// (`unsafeDirectSockets`): neither `wrangler dev`'s proxy nor Miniflare's entry worker is in the way.
// Driven over IPC by workers.ts: `ready` {url} once listening and answering there (or `failed`, with
// why); `restart` disposes workerd and starts it again on the same port and storage (what an eviction
// or a crash leaves: memory gone, storage kept).
// BENCH_INSPECTOR_PORT=N opens workerd's inspector there, for a CPU profile of the Worker and its
// Durable Objects (Chrome DevTools, or the Profiler domain of the DevTools protocol).
import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { startRelay } from '../../src/local/ws-relay.ts';

export interface WorkersHostOptions {
  name: string;
  scriptPath: string;
  port: number;
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: Record<string, string>;
  durableObjects: Record<string, { className: string; useSQLite: boolean }>;
  /** Workers Rate Limiting bindings, as wrangler.toml declares them. */
  ratelimits?: Record<string, { namespace_id: string; simple: { limit: number; period: 10 | 60 } }>;
  /** Hyperdrive bindings (name → connection string), as Miniflare runs them locally. */
  hyperdrives?: Record<string, string>;
  /** Durable Object storage kept on disk here (survives `restart`); a temporary one otherwise. */
  persistPath?: string;
  /** host:port of a Postgres: a relay in front of it becomes PG_WS_PROXY. */
  postgres?: { host: string; port: number };
  logFile: string;
}

const send = (message: unknown) => process.send?.(message);

/**
 * Miniflare's own warnings and errors (workerd crashed and is being restarted, a restart that
 * failed) go to the server's log file beside the Worker's, where a failed drill shows them, and
 * to the driver as `crashed`: a workerd that dies after it was ready is named, not left to show as
 * refused connections.
 */
class FileLog extends Log {
  constructor() {
    super(LogLevel.WARN);
  }
  protected override log(message: string): void {
    appendFileSync(options.logFile, `${new Date().toISOString()} miniflare: ${message}\n`);
    if (message.includes('crashed')) send({ type: 'crashed', message });
    super.log(message);
  }
}

const options = JSON.parse(process.env.MARQUEE_BENCH_WORKERS ?? '{}') as WorkersHostOptions;
const relay = options.postgres ? await startRelay(options.postgres, { pool: true }) : undefined;

/** Written in the option shape Miniflare's README documents, converted as wrangler converts it. */
function miniflareOptions(): MiniflareOptions {
  return convertV4MiniflareOptions({
    name: options.name,
    host: '127.0.0.1',
    port: 0,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: options.port }],
    cf: false,
    // One bundled ES module (named .js, which Miniflare would otherwise take for CommonJS).
    modules: [{ type: 'ESModule', path: options.scriptPath }],
    modulesRoot: dirname(options.scriptPath),
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags,
    bindings: relay ? { ...options.bindings, PG_WS_PROXY: relay.proxy } : options.bindings,
    durableObjects: options.durableObjects,
    ...(options.ratelimits ? { ratelimits: options.ratelimits } : {}),
    ...(options.hyperdrives ? { hyperdrives: options.hyperdrives } : {}),
    resourcePersistencePath: options.persistPath,
    enableDevRegistry: false,
    ...(process.env.BENCH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT) } : {}),
    logRequests: false,
    log: new FileLog(),
    // One JSON line per request is Marquee's own logging; only warnings and errors are kept.
    handleStructuredLogs: ({ level, message }) => {
      if (level === 'warn' || level === 'error') appendFileSync(options.logFile, `${message}\n`);
    },
  });
}

let miniflare = new Miniflare(miniflareOptions());
const ready = async () => {
  await miniflare.ready;
  const url = (await miniflare.unsafeGetDirectURL(options.name)).toString();
  // What a client of that URL meets, checked before the URL is handed out: a restart that left
  // nothing listening there must fail here, in words, not as refused requests in a drill.
  const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
    (response) => `${response.status}`,
    (error: unknown) =>
      `no answer (${(error as { cause?: { code?: string } }).cause?.code ?? String(error)})`,
  );
  if (!/^\d+$/.test(answer))
    throw new Error(`workerd said it listens at ${url}, and a request there got ${answer}`);
  send({ type: 'ready', url });
};
await ready();

process.on('message', async (message: { type: string }) => {
  if (message.type === 'restart') {
    try {
      await miniflare.dispose();
      miniflare = new Miniflare(miniflareOptions());
      await ready();
    } catch (error) {
      send({ type: 'failed', message: String((error as Error).stack ?? error) });
    }
  } else if (message.type === 'stop') {
    await miniflare.dispose().catch(() => {});
    await relay?.close();
    process.exit(0);
  }
});
process.on('disconnect', () => void miniflare.dispose().finally(() => process.exit(0)));
