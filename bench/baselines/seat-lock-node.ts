// Baseline: the seed document's booking on Node with Redis, no Lua: for each seat in order a lock
// (`SET lock NX PX`), read its status, write HOLD with a TTL, release the lock. All or nothing:
// a taken lock or a held seat gives up and releases what it locked. No auth, no versions, no
// broadcast, no Postgres. Same request pattern as Marquee's holds. Started with PORT and REDIS_URL.
import { serve } from '@hono/node-server';
import { createClient } from '@redis/client';
import { Hono } from 'hono';

const LOCK_MS = 3_000;
const HOLD_MS = Number(process.env.HOLD_TTL_SECONDS ?? 300) * 1000;
const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const seatKey = (screeningId: string, seatId: string) => `bare:{${screeningId}}:seat:${seatId}`;
const lockKey = (screeningId: string, seatId: string) => `bare:{${screeningId}}:lock:${seatId}`;
const holdKey = (screeningId: string, token: string) => `bare:{${screeningId}}:hold:${token}`;

/** Runs `work` with every seat's lock taken (in seat order), or answers false if one is taken. */
async function withLocks(screeningId: string, seatIds: string[], work: () => Promise<boolean>) {
  const token = crypto.randomUUID();
  const locked: string[] = [];
  try {
    for (const seatId of [...seatIds].sort()) {
      if (
        (await redis.set(lockKey(screeningId, seatId), token, {
          condition: 'NX',
          expiration: { type: 'PX', value: LOCK_MS },
        })) !== 'OK'
      )
        return false;
      locked.push(seatId);
    }
    return await work();
  } finally {
    for (const seatId of locked) await redis.del(lockKey(screeningId, seatId));
  }
}

async function book(screeningId: string, seatIds: string[], owner: string): Promise<string | undefined> {
  const token = crypto.randomUUID();
  const booked = await withLocks(screeningId, seatIds, async () => {
    for (const seatId of seatIds) if ((await redis.get(seatKey(screeningId, seatId))) !== null) return false;
    for (const seatId of seatIds)
      await redis.set(seatKey(screeningId, seatId), `${owner} ${token}`, {
        expiration: { type: 'PX', value: HOLD_MS },
      });
    await redis.set(holdKey(screeningId, token), JSON.stringify(seatIds), {
      expiration: { type: 'PX', value: HOLD_MS },
    });
    return true;
  });
  return booked ? token : undefined;
}

async function release(screeningId: string, token: string, owner: string): Promise<boolean> {
  const seats = await redis.get(holdKey(screeningId, token));
  if (seats === null) return false;
  const seatIds = JSON.parse(seats) as string[];
  return withLocks(screeningId, seatIds, async () => {
    for (const seatId of seatIds)
      if ((await redis.get(seatKey(screeningId, seatId))) !== `${owner} ${token}`) return false;
    for (const seatId of seatIds) await redis.del(seatKey(screeningId, seatId));
    await redis.del(holdKey(screeningId, token));
    return true;
  });
}

const app = new Hono();
app.get('/health', (c) => c.json({ status: 'UP' }));
app.post('/api/screenings/:id/holds', async (c) => {
  const { seatIds } = await c.req.json<{ seatIds: string[] }>();
  const token = await book(c.req.param('id'), seatIds, c.req.header('x-user') ?? '');
  return token ? c.json({ holdToken: token, seatIds }, 201) : c.json({ code: 'SEAT_NOT_AVAILABLE' }, 409);
});
app.delete('/api/screenings/:id/holds/:token', async (c) => {
  const released = await release(c.req.param('id'), c.req.param('token'), c.req.header('x-user') ?? '');
  return c.body(null, released ? 204 : 404);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => void redis.close().finally(() => process.exit(0))));
