// What the figures came from: the machine, the versions of what ran, how loaded it was (the 1-minute
// load average, sampled every few seconds through the run), what a new Postgres connection costs
// there, and how much CPU the load generator itself used in a phase.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Pool } from '@neondatabase/serverless';
import { createClient } from '@redis/client';
import pg from 'pg';
import { ROOT } from './runtimes/server.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  workerd: string;
  redis: string;
  postgres: string;
  load: { min: number; max: number; mean: number };
  /**
   * A new Postgres connection, connect and one query, one at a time (median ms). Marquee on Workers
   * opens one per request that needs Postgres where Hyperdrive does not pool them (locally, here),
   * so on a machine where a new backend is dear this bounds the Workers payment figures.
   */
  postgresConnectMs: number;
}

/** The median wall time of `count` new connections to `url`, each connecting and running `select 1`. */
export async function postgresConnectMs(url: string, count = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('select 1');
    await client.end();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export class LoadSampler {
  readonly #samples: number[] = [loadavg()[0] ?? 0];
  readonly #timer = setInterval(() => this.#samples.push(loadavg()[0] ?? 0), 5_000);

  stop(): Machine['load'] {
    clearInterval(this.#timer);
    const sum = this.#samples.reduce((total, value) => total + value, 0);
    return {
      min: Math.min(...this.#samples),
      max: Math.max(...this.#samples),
      mean: sum / this.#samples.length,
    };
  }
}

export async function describeMachine(
  pool: Pool,
  redisUrl: string,
  load: Machine['load'],
  connectMs: number,
): Promise<Machine> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const info = await redis.info('server');
  await redis.close();
  const postgres = (await pool.query('show server_version')).rows[0]?.server_version ?? '?';
  const miniflare = createRequire(join(ROOT, 'node_modules/miniflare/package.json'));
  const workerd = JSON.parse(await readFile(miniflare.resolve('workerd/package.json'), 'utf8')).version;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? '?',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    workerd,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '?',
    postgres: String(postgres),
    load,
    postgresConnectMs: connectMs,
  };
}

/** The CPU this process (the load generator) used since it was made, as a share of one core. */
export function cpuMeter(): { share(): number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  return {
    share() {
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / 1000 / (performance.now() - started);
    },
  };
}
