// The Redis coordinator's deadlines and live feed: an expired hold is freed and pushed within a
// second with no request needed, and every watcher gets every change, in order, ending on the
// real map (the same promises the actor's alarm and hibernating sockets make).
import type { WSContext } from 'hono/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSeatCoordinator } from '../../src/adapters/redis/redis-coordinator.ts';
import { liveSeatEvents } from '../../src/http/live-socket.ts';
import type { SeatBatch } from '../../src/ports/seat-coordinator.ts';
import { testDatabase } from '../support/db.ts';
import { settleWith } from '../support/due-work.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const url = redisUrl(12);
const database = testDatabase(4);
const open = (holdTtlSeconds: number) =>
  new RedisSeatCoordinator({
    url,
    db: () => database.db,
    settleDueWork: settleWith(() => database.db),
    settings: {
      HOLD_TTL_SECONDS: holdTtlSeconds,
      PAYMENT_TIMEOUT_SECONDS: 60,
      REFUND_RETRY_SECONDS: 30,
      REDIS_HEALTH_INTERVAL_MS: 1_000,
    },
  });
/** Two processes' worth on one Redis: holds that expire in a second, and holds that last. */
const shortLived = open(1);
const lasting = open(300);

beforeAll(async () => {
  await flushRedis(url);
  await Promise.all([shortLived.start(), lasting.start()]);
});

afterAll(async () => {
  await Promise.all([shortLived.close(), lasting.close()]);
  await database.close();
});

type Message = {
  type: string;
  version: number;
  seats?: { seatId: string; status: string }[];
  changes?: SeatBatch['changes'];
};

/** A watcher as the Node/Deno WebSocket route runs it, with the socket replaced by a recorder. */
async function watch(seats: RedisSeatCoordinator, screeningId: string) {
  const messages: (Message & { at: number })[] = [];
  const socket = {
    send: (data: string) => messages.push({ ...(JSON.parse(data) as Message), at: Date.now() }),
    close: () => {},
  } as unknown as WSContext;
  const events = liveSeatEvents(seats, screeningId);
  await events.onOpen?.(new Event('open'), socket);
  return {
    messages,
    close: () => events.onClose?.(new CloseEvent('close'), socket),
    /** The map this watcher believes in: its snapshot with every batch applied in order. */
    map() {
      const [first, ...rest] = messages;
      const status = new Map(first?.seats?.map((seat) => [seat.seatId, seat.status]));
      let version = first?.version ?? -1;
      for (const message of rest) {
        expect(message.version, 'versions without gaps').toBe(version + 1);
        version = message.version;
        for (const change of message.changes ?? []) status.set(change.seatId, change.status);
      }
      return { version, status };
    },
  };
}

describe('Redis coordinator deadlines and live feed', () => {
  it('frees an expired hold and pushes it within a second, with no request needed; later sweeps change nothing', async () => {
    const seats = shortLived;
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    const watcher = await watch(seats, screeningId);
    const held = await seats.hold(screeningId, crypto.randomUUID(), [seatIds[0]!]);
    if (!held.ok) throw new Error('hold refused');
    const expiresAt = Date.parse(held.value.expiresAt);
    await expect
      .poll(() => watcher.messages.find((m) => m.changes?.some((c) => c.status === 'AVAILABLE')), {
        timeout: 4_000,
        interval: 20,
      })
      .toBeDefined();
    const freed = watcher.messages.find((m) => m.changes?.some((c) => c.status === 'AVAILABLE'));
    expect(freed!.at - expiresAt).toBeLessThan(1_000);
    const settled = await seats.snapshot(screeningId);
    await new Promise((resolve) => setTimeout(resolve, 800)); // a few more sweeps
    const later = await seats.snapshot(screeningId);
    expect(later.ok && settled.ok && later.value.version).toBe(settled.ok && settled.value.version);
    expect(watcher.messages.length).toBe(3); // snapshot, HOLD, AVAILABLE
    await watcher.close();
  });

  it('sends every watcher every change, in version order with no gaps, ending on the real map', async () => {
    const seats = lasting;
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 30 });
    // Watchers on both processes: batches reach every process through Redis pub/sub.
    const watchers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => watch(index % 2 ? shortLived : lasting, screeningId)),
    );
    const members = Array.from({ length: 30 }, () => crypto.randomUUID());
    await Promise.all(
      members.map(async (memberId, index) => {
        const held = await seats.hold(screeningId, memberId, [seatIds[index]!, seatIds[(index + 1) % 30]!]);
        if (held.ok && index % 3 === 0) await seats.release(screeningId, memberId, held.value.holdToken);
      }),
    );
    const real = await seats.snapshot(screeningId);
    if (!real.ok) throw new Error('no snapshot');
    for (const watcher of watchers) {
      await expect.poll(() => watcher.map().version, { timeout: 5_000 }).toBe(real.value.version);
      const { status } = watcher.map();
      for (const seat of real.value.seats) expect(status.get(seat.seatId)).toBe(seat.status);
      await watcher.close();
    }
  });
});
