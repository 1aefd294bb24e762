// The waiting-room port on Deno/Node: a screening's queue in Redis. The scripts are storage
// mechanics only: they add a ticket under the next number, deal out places they are given, mark
// tickets admitted, and compare-and-set the room's state; the domain (src/domain/queue) decides
// when to draw, whom to admit and what a member is told.
//
// Keys (one hash slot per screening, `{wr:ID}`):
//   room     hash   state (the room as JSON, without `joined`), joined (the ticket counter)
//   order    zset   ticketId → place
//   members  hash   memberId → ticketId
//   tickets  hash   ticketId → memberId
//   admitted hash   ticketId → admitted at (epoch ms)

import { AppError } from '../../domain/errors.ts';
import {
  advance,
  drawOrder,
  newRoom,
  type RoomState,
  type RoomStep,
  reconfigure,
  type Ticket,
} from '../../domain/queue/index.ts';
import type { Joined, RoomCall, WaitingRoomStore } from '../../ports/waiting-room.ts';
import { isRedisOutage, type RedisClient, Script } from './redis-client.ts';

const KEY_NAMES = ['room', 'order', 'members', 'tickets', 'admitted'] as const;
const keysOf = (screeningId: string) => KEY_NAMES.map((name) => `{wr:${screeningId}}:${name}`);
/** Tries before a step that keeps losing its compare-and-set gives up. */
const MAX_TRIES = 20;

/** The room's state and counter, and one ticket's fields if asked for (ARGV[1], may be ''). */
const LOAD = new Script(`
local room = redis.call('HMGET', KEYS[1], 'state', 'joined')
if ARGV[1] == '' then return { room[1] or '', room[2] or '0' } end
return { room[1] or '', room[2] or '0', redis.call('HGET', KEYS[4], ARGV[1]) or '',
  redis.call('ZSCORE', KEYS[2], ARGV[1]) or '', redis.call('HGET', KEYS[5], ARGV[1]) or '' }
`);

/**
 * The member's ticket: the one it has, or a new one under the next number. Creates the room with
 * ARGV[3] if it has none. Answers { ticketId, place, created }.
 */
const JOIN = new Script(`
local known = redis.call('HGET', KEYS[3], ARGV[1])
if known then return { known, redis.call('ZSCORE', KEYS[2], known), 0 } end
if redis.call('HEXISTS', KEYS[1], 'state') == 0 then redis.call('HSET', KEYS[1], 'state', ARGV[3]) end
local place = redis.call('HINCRBY', KEYS[1], 'joined', 1)
redis.call('ZADD', KEYS[2], place, ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[1])
for _, key in ipairs(KEYS) do redis.call('PEXPIREAT', key, ARGV[4]) end
return { ARGV[2], place, 1 }
`);

/**
 * Applies a step if the room is still as it was read (ARGV[1], and the counter ARGV[2] when a draw
 * is dealt): the places ARGV[6..] to tickets 1..n in their current order, then the admission of
 * places (ARGV[3], ARGV[4]] at ARGV[5], then the new state ARGV[#]. Answers 1, or 0 when stale.
 */
const STEP = new Script(`
local room = redis.call('HMGET', KEYS[1], 'state', 'joined')
if (room[1] or '') ~= ARGV[1] then return 0 end
local dealt = #ARGV - 6
if dealt > 0 then
  if tonumber(room[2] or '0') ~= tonumber(ARGV[2]) then return 0 end
  local tickets = redis.call('ZRANGEBYSCORE', KEYS[2], 1, dealt)
  for i, ticket in ipairs(tickets) do redis.call('ZADD', KEYS[2], ARGV[5 + i], ticket) end
end
if tonumber(ARGV[4]) > tonumber(ARGV[3]) then
  for _, ticket in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[3], ARGV[4])) do
    redis.call('HSET', KEYS[5], ticket, ARGV[5])
  end
end
redis.call('HSET', KEYS[1], 'state', ARGV[#ARGV])
return 1
`);

/** The scripts' source, for a test that keeps rules out of them. */
export const WAITING_ROOM_SCRIPTS = [LOAD, JOIN, STEP].map((script) => script.source);

type StoredRoom = Omit<RoomState, 'joined'>;
const stateOf = (room: RoomState): string => {
  const { joined: _joined, ...rest } = room;
  return JSON.stringify(rest satisfies StoredRoom);
};

interface Loaded {
  /** The state field as stored ('' when the room does not exist yet). */
  stored: string;
  room: RoomState | null;
  ticket?: { memberId: string; place: number; admittedAt: number | null } | null;
}

export class RedisWaitingRoom implements WaitingRoomStore {
  readonly #redis: RedisClient;
  readonly #now: () => number;
  /** Per screening, the step this process has under way: one at a time (see #advanced). */
  readonly #stepping = new Map<string, Promise<unknown>>();

  constructor(redis: RedisClient, now: () => number = Date.now) {
    this.#redis = redis;
    this.#now = now;
  }

  join: WaitingRoomStore['join'] = (call, memberId) => reachable(this.#join(call, memberId));
  ticket: WaitingRoomStore['ticket'] = (call, ticketId) => reachable(this.#ticket(call, ticketId));
  room: WaitingRoomStore['room'] = (call) => reachable(this.#advanced(call).then((loaded) => loaded.room));

  async #join(call: RoomCall, memberId: string): Promise<Joined> {
    const keys = keysOf(call.screeningId);
    await this.#advanced(call); // a join after the opening comes after the draw
    const initial = stateOf(newRoom(call.setup));
    const [ticketId, place, created] = await JOIN.run<[string, string, number]>(this.#redis, keys, [
      memberId,
      crypto.randomUUID(),
      initial,
      String(call.forgetAt),
    ]);
    // A ticket joining an open room with nobody ahead may be admitted at once.
    const { room, ticket } = await this.#ticket(call, ticketId);
    return {
      room,
      ticket: ticket ?? { ticketId, memberId, place: Number(place), admittedAt: null },
      created: created === 1,
    };
  }

  async #ticket(call: RoomCall, ticketId: string): Promise<{ room: RoomState; ticket: Ticket | null }> {
    const loaded = await this.#advanced(call, ticketId);
    const room = loaded.room ?? newRoom(call.setup);
    const found = loaded.ticket;
    return { room, ticket: found ? { ticketId, ...found } : null };
  }

  /**
   * Reads the room (and a ticket), and applies what the domain says is due, until a write sticks
   * or another caller's step has done the work. This process sends one step per screening at a
   * time, and a caller that finds one under way reads what it did: at the opening the whole crowd
   * polling at once finds the draw due, and each of them sending it (every place of the room, 10,000
   * arguments at 10,000 members) to lose its compare-and-set held Redis for seconds (the bench's
   * room on Node: 27 polls past the command timeout). Other processes still race by compare-and-set.
   */
  async #advanced(call: RoomCall, ticketId = ''): Promise<Loaded> {
    const keys = keysOf(call.screeningId);
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const loaded = await this.#load(keys, ticketId);
      if (!loaded.room) return loaded;
      const now = this.#now();
      const step = advance(reconfigure(loaded.room, call.setup, now), now);
      const next = stateOf(step.next);
      if (next === loaded.stored) return loaded;
      const underWay = this.#stepping.get(call.screeningId);
      if (underWay) await underWay;
      else if (
        (await this.#step(call.screeningId, keys, loaded.stored, loaded.room, {
          ...step,
          now,
          written: next,
        })) === 1
      )
        return this.#load(keys, ticketId);
      // Another caller stepped the room meanwhile, admitting what was due by its clock a moment
      // ago: as fresh as this answer needs (trying again instead, a crowd polling at the opening
      // would each find a newer slot due and keep losing). Only a draw this step owed must be seen
      // done first, since a join after the opening comes after the draw.
      const reloaded = await this.#load(keys, ticketId);
      if (reloaded.stored !== loaded.stored && (!step.draw || reloaded.room?.drawn)) return reloaded;
    }
    throw new AppError('SERVICE_UNAVAILABLE', 'the waiting room is too busy right now; try again');
  }

  /** Writes a step if the room is still as loaded (1), known to this process while under way. */
  async #step(
    screeningId: string,
    keys: string[],
    stored: string,
    room: RoomState,
    step: RoomStep & { now: number; written: string },
  ): Promise<number> {
    const dealt = step.draw ? drawOrder(room.joined).map((place) => String(place + 1)) : [];
    const args = [
      stored,
      String(room.joined),
      String(room.admitted),
      String(room.admitted + step.admit),
      String(step.now),
      ...dealt,
      step.written,
    ];
    const writing = STEP.run<number>(this.#redis, keys, args);
    const settled = writing.catch(() => 0);
    this.#stepping.set(screeningId, settled);
    try {
      return await writing;
    } finally {
      if (this.#stepping.get(screeningId) === settled) this.#stepping.delete(screeningId);
    }
  }

  async #load(keys: string[], ticketId: string): Promise<Loaded> {
    const reply = await LOAD.run<string[]>(this.#redis, keys, [ticketId]);
    const [stored = '', joined = '0', memberId = '', place = '', admittedAt = ''] = reply;
    const room = stored ? { ...(JSON.parse(stored) as StoredRoom), joined: Number(joined) } : null;
    if (!ticketId) return { stored, room };
    const ticket = memberId
      ? { memberId, place: Number(place), admittedAt: admittedAt ? Number(admittedAt) : null }
      : null;
    return { stored, room, ticket };
  }
}

/**
 * A Redis that does not answer (down, or past the command timeout) leaves the room unknown: 503,
 * as the Durable Object room says. Redis's own error replies are bugs and stay 500s.
 */
async function reachable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isRedisOutage(error)) throw error;
    throw new AppError('SERVICE_UNAVAILABLE', 'the waiting room is temporarily unavailable; try again');
  }
}
