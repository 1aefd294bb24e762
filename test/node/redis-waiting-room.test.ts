// The waiting-room contract against the Redis store, on the real Redis, and the proof that its
// scripts hold no rule of the room's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openRedis, type RedisClient } from '../../src/adapters/redis/redis-client.ts';
import { RedisWaitingRoom, WAITING_ROOM_SCRIPTS } from '../../src/adapters/redis/waiting-room-store.ts';
import { waitingRoomContract } from '../contract/waiting-room.contract.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';

const url = redisUrl(11);
let client: RedisClient;

beforeAll(async () => {
  await flushRedis(url);
  client = openRedis(url);
  await client.connect();
});

afterAll(async () => {
  await client.close();
});

waitingRoomContract('Redis', { store: () => new RedisWaitingRoom(client) });

describe('the Redis waiting room', () => {
  it('answers a crowd polling at once after the opening, each caller on a later clock (found by the bench)', async () => {
    // Every call reads the clock later than the one before, as polls spread over real time do: each
    // caller finds a slot due that the last winner's step did not admit, and so its step differs.
    let clock = Date.now();
    const store = new RedisWaitingRoom(client, () => (clock += 2));
    const screeningId = crypto.randomUUID();
    const crowd = 300;
    const call = (salesOpenAt: number) => ({
      screeningId,
      setup: { salesOpenAt, admitPerMinute: 6000 },
      forgetAt: Date.now() + 86_400_000,
    });
    const before = call(clock + 3_600_000);
    const tickets = [];
    for (let index = 0; index < crowd; index++)
      tickets.push((await store.join(before, crypto.randomUUID())).ticket.ticketId);
    const open = call(clock);
    const answers = await Promise.all(tickets.map((ticketId) => store.ticket(open, ticketId)));
    // One draw dealt every place once, and every caller got its ticket back.
    const places = answers.map((answer) => answer.ticket?.place ?? 0).sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: crowd }, (_, index) => index + 1));
    expect(answers.every((answer) => answer.room.drawn)).toBe(true);
  });

  it('sends the draw once from this process when a crowd finds it due at the opening', async () => {
    const store = new RedisWaitingRoom(client);
    const screeningId = crypto.randomUUID();
    const call = (salesOpenAt: number) => ({
      screeningId,
      setup: { salesOpenAt, admitPerMinute: 60 },
      forgetAt: Date.now() + 86_400_000,
    });
    const before = call(Date.now() + 3_600_000);
    const joined = 2_000;
    const tickets: string[] = [];
    for (let index = 0; index < joined; index += 200)
      tickets.push(
        ...(
          await Promise.all(Array.from({ length: 200 }, () => store.join(before, crypto.randomUUID())))
        ).map((answer) => answer.ticket.ticketId),
      );
    // A draw deals every place: a command with an argument per member.
    const sent = vi.spyOn(client, 'sendCommand');
    const open = call(Date.now());
    const answers = await Promise.all(tickets.slice(0, 300).map((ticketId) => store.ticket(open, ticketId)));
    const draws = sent.mock.calls.filter(([args]) => (args as string[]).length > joined).length;
    sent.mockRestore();
    expect(draws).toBe(1);
    expect(answers.every((answer) => answer.room.drawn && answer.ticket !== null)).toBe(true);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not a 500, when Redis does not answer', async () => {
    const gone = openRedis('redis://127.0.0.1:1'); // never connected: every command fails at once
    const store = new RedisWaitingRoom(gone);
    const call = {
      screeningId: crypto.randomUUID(),
      setup: { salesOpenAt: Date.now(), admitPerMinute: 60 },
      forgetAt: Date.now() + 60_000,
    };
    for (const attempt of [
      store.join(call, crypto.randomUUID()),
      store.ticket(call, crypto.randomUUID()),
      store.room(call),
    ])
      await expect(attempt).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('keeps the rules out of its scripts: no rate, no opening time, no randomness', () => {
    for (const source of WAITING_ROOM_SCRIPTS) {
      expect(source).not.toMatch(/admitPerMinute|salesOpenAt|math\.random|TIME/);
    }
  });
});
