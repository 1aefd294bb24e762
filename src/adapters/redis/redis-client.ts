// The Redis connection of the Deno/Node runtimes (@redis/client, node-redis' core, which runs on
// both). Its offline queue is off: while Redis is gone a command fails at once instead of waiting,
// so writes fail fast (the seed's fail-fast-on-write) and the health checker hears of it.
import { createClient, ErrorReply } from '@redis/client';
import { AppError } from '../../domain/errors.ts';

export type RedisClient = ReturnType<typeof openRedis>;

/** How long one command may take before it counts as Redis being unreachable. */
export const COMMAND_TIMEOUT_MS = 2_000;

export function openRedis(url: string) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
  client.on('error', () => {}); // reported through the failing commands and the health checker
  return client;
}

/** Starts connecting; resolves when connected or after `waitMs`, whichever is first. */
export async function connectSoon(client: RedisClient, waitMs = COMMAND_TIMEOUT_MS): Promise<boolean> {
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  try {
    return await Promise.race([connected, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redis answered, with an error of its own (a script bug, a wrong type): not an outage. */
export const isRedisReply = (error: unknown): boolean => error instanceof ErrorReply;

/** Neither Redis' own answer nor a refusal of ours: Redis is down, or did not answer in time. */
export const isRedisOutage = (error: unknown): boolean => !(isRedisReply(error) || error instanceof AppError);

export async function command<T = unknown>(client: RedisClient, args: string[]): Promise<T> {
  return (await client.sendCommand(args, { timeout: COMMAND_TIMEOUT_MS })) as T;
}

/**
 * A Lua script run by its SHA1; a Redis that answers NOSCRIPT (restarted empty, or flushed) gets
 * the script loaded again and the call repeated once.
 */
export class Script {
  readonly #source: string;
  #sha: string | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  get source(): string {
    return this.#source;
  }

  async run<T = string>(client: RedisClient, keys: string[], args: string[]): Promise<T> {
    this.#sha ??= await this.#load(client);
    try {
      return await command<T>(client, ['EVALSHA', this.#sha, String(keys.length), ...keys, ...args]);
    } catch (error) {
      if (!(isRedisReply(error) && String((error as Error).message).startsWith('NOSCRIPT'))) throw error;
      this.#sha = await this.#load(client);
      return command<T>(client, ['EVALSHA', this.#sha, String(keys.length), ...keys, ...args]);
    }
  }

  #load(client: RedisClient): Promise<string> {
    return command<string>(client, ['SCRIPT', 'LOAD', this.#source]);
  }
}
