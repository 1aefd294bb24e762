// The Node runtime under test and its baselines, each a process of its own: Marquee's own entry
// (`node src/entries/node.ts`, the Redis coordinator), the no-op Hono app, and the seed's per-seat
// lock booking on plain Redis commands.
import { join } from 'node:path';
import { type RuntimeKit, type Server, startNodeServer } from './server.ts';

export interface NodeRuntimeOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Marquee's settings for the run (JWT_SECRET, HOLD_TTL_SECONDS, limits, …). */
  settings: Record<string, string>;
  logDir: string;
}

export function startMarqueeNode(options: NodeRuntimeOptions, name = 'marquee-node'): Promise<Server> {
  return startNodeServer(
    'src/entries/node.ts',
    { ...options.settings, DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl },
    join(options.logDir, `${name}.log`),
  );
}

export function startNoopNode(logDir: string): Promise<Server> {
  return startNodeServer('bench/baselines/noop-node.ts', {}, join(logDir, 'noop-node.log'));
}

export function startSeatLockNode(redisUrl: string, holdTtlSeconds: number, logDir: string): Promise<Server> {
  return startNodeServer(
    'bench/baselines/seat-lock-node.ts',
    { REDIS_URL: redisUrl, HOLD_TTL_SECONDS: String(holdTtlSeconds) },
    join(logDir, 'seat-lock-node.log'),
  );
}

/** Marquee on Node with Redis at `redisUrl`; the seat-lock baseline uses `baselineRedisUrl`. */
export function nodeKit(options: {
  databaseUrl: string;
  redisUrl: string;
  baselineRedisUrl: string;
  holdTtlSeconds: number;
  logDir: string;
}): RuntimeKit {
  return {
    name: 'Node + Redis',
    noop: () => startNoopNode(options.logDir),
    bareBooking: () => startSeatLockNode(options.baselineRedisUrl, options.holdTtlSeconds, options.logDir),
    marquee: (settings) => startMarqueeNode({ ...options, settings }),
  };
}
