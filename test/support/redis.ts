// Redis for Node-side tests: each test file takes a database index of its own and flushes it, so
// files never see each other's keys (pub/sub channels are global, but carry screening ids).
import { createClient } from '@redis/client';

export const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function redisUrl(database: number): string {
  const url = new URL(REDIS_BASE);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function flushRedis(url: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  await client.close();
}
