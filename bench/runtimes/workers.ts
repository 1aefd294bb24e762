// The Workers runtime under test and its baselines, each on workerd through Miniflare's API in a
// host process of its own (workers-host.ts). Marquee is the bundle `wrangler deploy --dry-run`
// builds, with wrangler.toml's compatibility settings and Durable Object declaration as wrangler
// reads them; the baselines are bundled with esbuild.
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { localHyperdriveUrl } from '../../src/local/local-hyperdrive.ts';
import {
  childrenNamed,
  cpuMs,
  peakMemoryMiB,
  ROOT,
  type RuntimeKit,
  type Server,
  stopChild,
} from './server.ts';
import type { WorkersHostOptions } from './workers-host.ts';

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** wrangler.toml as wrangler reads it: compatibility date and flags, vars, Durable Objects. */
export function wranglerConfig(options: { rateLimits?: 'lifted' | 'configured' } = {}): {
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
  durableObjects: WorkersHostOptions['durableObjects'];
  /**
   * The Rate Limiting bindings: their limits lifted as the bench's settings lift the others, or with
   * `rateLimits: 'configured'` as wrangler.toml sets them (the attack bench).
   */
  ratelimits: NonNullable<WorkersHostOptions['ratelimits']>;
} {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
  return {
    compatibilityDate: String(workerOptions.compatibilityDate ?? ''),
    compatibilityFlags: (workerOptions.compatibilityFlags ?? []) as string[],
    vars: Object.fromEntries(
      Object.entries(workerOptions.bindings ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    durableObjects: Object.fromEntries(
      Object.entries(workerOptions.durableObjects ?? {}).map(([name, designator]) => [
        name,
        typeof designator === 'string'
          ? { className: designator, useSQLite: true }
          : { className: designator.className, useSQLite: Boolean(designator.useSQLite) },
      ]),
    ),
    ratelimits: Object.fromEntries(
      Object.entries(
        (
          workerOptions as {
            ratelimits?: Record<string, { namespace_id: string; simple: { limit: number; period: 10 | 60 } }>;
          }
        ).ratelimits ?? {},
      ).map(([name, binding]) => [
        name,
        {
          namespace_id: binding.namespace_id,
          simple:
            options.rateLimits === 'configured'
              ? { limit: binding.simple.limit, period: binding.simple.period }
              : { limit: 1_000_000_000, period: 60 as const },
        },
      ]),
    ),
  };
}

/** Marquee's Worker exactly as `npm run build` makes it. */
export async function buildMarqueeWorker(outdir: string): Promise<string> {
  await promisify(execFile)(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outdir, 'index.js');
}

export async function buildBaselineWorker(entry: string, outdir: string): Promise<string> {
  const outfile = join(outdir, entry.replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [join(ROOT, 'bench/baselines', entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*'],
    logLevel: 'warning',
  });
  return outfile;
}

export type WorkerServerOptions = Omit<
  WorkersHostOptions,
  'port' | 'compatibilityDate' | 'compatibilityFlags'
>;

/**
 * /dev/shm when it is there with room to spare: a container's is often 64 MB, and a store that fills
 * up would fail the run for a reason of the machine's.
 */
function roomyTmpfs(): string | undefined {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 2 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

export async function startWorkerServer(options: WorkerServerOptions): Promise<Server> {
  const config = wranglerConfig();
  const hostOptions: WorkersHostOptions = {
    ...options,
    port: await freePort(),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
  };
  const tmpfs = roomyTmpfs();
  const child = fork(join(import.meta.dirname, 'workers-host.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      MARQUEE_BENCH_WORKERS: JSON.stringify(hostOptions),
      // Miniflare keeps Durable Object storage (and its simulated rate limits) in SQLite files under
      // the temporary directory. On this machine's disk their syncs held workerd's one thread in
      // uninterruptible sleep, the Worker and the bare baseline alike: a figure of this VM's disk more
      // than of either. In memory (tmpfs) they cost what SQLite costs. A drill's persistPath stays put.
      ...(tmpfs ? { TMPDIR: tmpfs } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await nextReady(child);
  const crashes: string[] = [];
  child.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'crashed') crashes.push(message.message ?? 'workerd crashed');
  });
  return {
    url,
    crashes: () => [...crashes],
    async restart() {
      const ready = nextReady(child);
      child.send({ type: 'restart' });
      // The direct socket is asked for on the same port: an address that moved would leave every
      // client of the old one refused, so say so rather than let a drill read it as an outage.
      const again = await ready;
      if (again !== url) throw new Error(`workerd came back at ${again}, not at ${url}`);
    },
    // workerd's own process (every isolate of the Worker lives in it), not the host's.
    async peakMemoryMiB() {
      const [workerd] = await childrenNamed(child.pid, 'workerd');
      return peakMemoryMiB(workerd);
    },
    async cpuMs() {
      const [workerd] = await childrenNamed(child.pid, 'workerd');
      return cpuMs(workerd);
    },
    async stop() {
      // The host disposes workerd itself; a signal is only the fallback for a host that hangs.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      await stopChild(child);
    },
  };
}

/** The host's next `ready` (its URL), or why it failed: a `failed` message, its exit, or a minute's silence. */
function nextReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error('workerd was not ready within 60 s'));
    }, 60_000);
    const onMessage = (message: { type: string; url?: string; message?: string }) => {
      if (message.type === 'failed') {
        cleanup();
        reject(new Error(`workerd did not come back: ${message.message}`));
        return;
      }
      if (message.type !== 'ready') return;
      cleanup();
      resolve((message.url ?? '').replace(/\/$/, ''));
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the workerd host exited (${code}) before it was ready`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Marquee's Worker (the bundle at `scriptPath`) on workerd with wrangler.toml's vars under
 * `settings`; its Rate Limiting bindings lifted unless `rateLimits` is 'configured'.
 */
export function startMarqueeWorker(options: {
  scriptPath: string;
  databaseUrl: string;
  settings: Record<string, string>;
  logFile: string;
  persistPath?: string;
  rateLimits?: 'lifted' | 'configured';
}): Promise<Server> {
  const config = wranglerConfig({ rateLimits: options.rateLimits });
  const database = new URL(options.databaseUrl);
  return startWorkerServer({
    name: 'marquee',
    scriptPath: options.scriptPath,
    bindings: { ...config.vars, ...options.settings, DATABASE_URL: options.databaseUrl },
    durableObjects: config.durableObjects,
    ratelimits: config.ratelimits,
    ...(process.env.BENCH_HYPERDRIVE === '1'
      ? { hyperdrives: { HYPERDRIVE: localHyperdriveUrl(options.databaseUrl) } }
      : { postgres: { host: database.hostname, port: Number(database.port || 5432) } }),
    persistPath: options.persistPath,
    logFile: options.logFile,
  });
}

/** Marquee and its baselines on workerd; every bundle is built first, into `buildDir`. */
export async function workersKit(options: {
  databaseUrl: string;
  buildDir: string;
  logDir: string;
  /** Durable Object storage on disk (the eviction drill restarts workerd over it). */
  persistPath?: string;
}): Promise<RuntimeKit> {
  const [marquee, noop, bare] = await Promise.all([
    buildMarqueeWorker(join(options.buildDir, 'marquee')),
    buildBaselineWorker('noop-worker.ts', options.buildDir),
    buildBaselineWorker('bare-booking-do.ts', options.buildDir),
  ]);
  const log = (name: string) => join(options.logDir, `${name}.log`);
  return {
    name: 'Workers (workerd)',
    noop: () =>
      startWorkerServer({
        name: 'noop',
        scriptPath: noop,
        bindings: {},
        durableObjects: {},
        logFile: log('noop-worker'),
      }),
    bareBooking: () =>
      startWorkerServer({
        name: 'bare-booking',
        scriptPath: bare,
        bindings: {},
        durableObjects: { BARE_BOOKING: { className: 'BareBooking', useSQLite: true } },
        logFile: log('bare-booking-do'),
      }),
    marquee: (settings) =>
      startMarqueeWorker({
        scriptPath: marquee,
        databaseUrl: options.databaseUrl,
        settings,
        persistPath: options.persistPath,
        logFile: log('marquee-workers'),
      }),
  };
}
