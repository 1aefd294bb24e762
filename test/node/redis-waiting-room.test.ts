// The waiting-room contract against the Redis store, on the real Redis, and the proof that its
// scripts hold no rule of the room's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('keeps the rules out of its scripts: no rate, no opening time, no randomness', () => {
    for (const source of WAITING_ROOM_SCRIPTS) {
      expect(source).not.toMatch(/admitPerMinute|salesOpenAt|math\.random|TIME/);
    }
  });
});
