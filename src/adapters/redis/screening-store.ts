// Where the Redis coordinator keeps a screening: its image (version, seats, holds) in three hashes,
// and the three small scripts that read it, create it, and commit a difference to it. The scripts are
// storage mechanics only: they compare versions, copy fields and publish what they are given; they
// know no seat state, no hold and no rule (the reducer in src/domain decides everything).
//
// Keys (one hash slot per screening, `{scr:ID}`, so it runs on Redis Cluster too):
//   meta  hash   gen (which build of the image), version, salesOpenAt, startTime, fence, deadline,
//                config (the admin's singleSeatGaps and prices, as JSON)
//   seats hash   seatId → the seat entry as JSON
//   holds hash   holdToken → the hold as JSON
//   lease string the commit lease: the fencing token of its holder, with a PX expiry
import type { Hold, ScreeningSeats, SeatChange, SeatEntry } from '../../domain/seats/index.ts';
import { type RedisClient, Script } from './redis-client.ts';

const KEY_NAMES = ['meta', 'seats', 'holds', 'lease'] as const;

/** The keys of one screening, in the order the scripts read them. */
export const screeningKeys = (screeningId: string): string[] =>
  KEY_NAMES.map((name) => `{scr:${screeningId}}:${name}`);

export const changesChannel = (screeningId: string) => `{scr:${screeningId}}:changes`;

/** A screening's state as this process last read or wrote it, with the build it belongs to. */
export interface StoredImage {
  /** Changes with every rebuild from Postgres, so an image of an earlier build never matches. */
  readonly gen: string;
  readonly state: ScreeningSeats;
}

/** Everything, read in one step; null when the screening is not in Redis. */
const LOAD = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]) }
`);

/**
 * Writes a whole image unless one is there already (another process won). The fence starts at
 * least at the clock in ms, above any token handed out before Redis lost its data.
 */
const INIT = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('HSET', KEYS[1], 'gen', ARGV[1], 'version', ARGV[2], 'salesOpenAt', ARGV[3],
  'startTime', ARGV[4], 'fence', math.max(tonumber(ARGV[5]), now), 'config', ARGV[8])
local seats, holds = tonumber(ARGV[6]), tonumber(ARGV[7])
local i = 9
for _ = 1, seats do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
for _ = 1, holds do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
return 1
`);

/**
 * The one write: if the stored build and version are the ones the difference was computed from,
 * write the changed fields, set the new version and deadline, take the commit lease if asked, and
 * publish the batches, all at once. Otherwise nothing, and the caller reloads.
 * Answers 'cold' (not in Redis), 'stale' with the image as it is now (saving the reload's round
 * trip), or 'ok' with the lease's outcome: the fencing token, or the negative milliseconds left on
 * somebody else's lease.
 */
const COMMIT = new Script(`
local META, SEATS, HOLDS, LEASE = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local stored = redis.call('HMGET', META, 'gen', 'version')
if not stored[1] then return { 'cold' } end
if stored[1] ~= ARGV[2] or stored[2] ~= ARGV[3] then
  return { 'stale', redis.call('HGETALL', META), redis.call('HGETALL', SEATS), redis.call('HGETALL', HOLDS) }
end
local seats, holdSets, holdDels, messages = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local metas = tonumber(ARGV[11])
local i = 12
for _ = 1, metas do redis.call('HSET', META, ARGV[i], ARGV[i + 1]); i = i + 2 end
for _ = 1, seats do redis.call('HSET', SEATS, ARGV[i], ARGV[i + 1]); i = i + 2 end
for _ = 1, holdSets do redis.call('HSET', HOLDS, ARGV[i], ARGV[i + 1]); i = i + 2 end
for _ = 1, holdDels do redis.call('HDEL', HOLDS, ARGV[i]); i = i + 1 end
if ARGV[4] ~= ARGV[3] then
  redis.call('HSET', META, 'version', ARGV[4])
  if ARGV[5] == '' then redis.call('HDEL', META, 'deadline') else redis.call('HSET', META, 'deadline', ARGV[5]) end
end
for _ = 1, messages do redis.call('PUBLISH', ARGV[1], ARGV[i]); i = i + 1 end
local lease = 0
if ARGV[6] ~= '' then
  if redis.call('EXISTS', LEASE) == 1 then lease = -math.max(redis.call('PTTL', LEASE), 1)
  else
    lease = redis.call('HINCRBY', META, 'fence', 1)
    redis.call('SET', LEASE, lease, 'PX', ARGV[6])
  end
end
return { 'ok', lease }
`);

/** Gives the lease back, unless it expired and somebody else holds it now. */
const RELEASE_LEASE = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** The scripts' source, for the test that keeps seat rules out of them. */
export const SCRIPT_SOURCES = [LOAD, INIT, COMMIT, RELEASE_LEASE].map((script) => script.source);

const toPairs = (flat: string[]): [string, string][] => {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
};

export async function loadImage(client: RedisClient, screeningId: string): Promise<StoredImage | null> {
  const reply = await LOAD.run<StoredHashes | null>(client, screeningKeys(screeningId), []);
  return reply ? imageOf(screeningId, reply) : null;
}

/** meta, seats and holds as HGETALL answers them. */
type StoredHashes = [string[], string[], string[]];

function imageOf(screeningId: string, [meta, seats, holds]: StoredHashes): StoredImage {
  const fields = Object.fromEntries(toPairs(meta));
  return {
    gen: fields.gen ?? '',
    state: {
      screeningId,
      version: Number(fields.version),
      salesOpenAt: Number(fields.salesOpenAt),
      startTime: Number(fields.startTime),
      ...(fields.config ? (JSON.parse(fields.config) as StoredConfig) : {}),
      seats: Object.fromEntries(toPairs(seats).map(([id, entry]) => [id, JSON.parse(entry) as SeatEntry])),
      holds: Object.fromEntries(toPairs(holds).map(([token, hold]) => [token, JSON.parse(hold) as Hold])),
    },
  };
}

/** The admin's configuration as the meta hash keeps it (salesOpenAt has a field of its own). */
type StoredConfig = Pick<ScreeningSeats, 'singleSeatGaps' | 'prices'>;
const configOf = (state: ScreeningSeats): string =>
  JSON.stringify({ singleSeatGaps: state.singleSeatGaps ?? 'ALLOW', prices: state.prices ?? {} });

/** Writes a freshly built image; false when another process had written one first. */
export async function initImage(client: RedisClient, state: ScreeningSeats, fence: number): Promise<boolean> {
  const seats = Object.entries(state.seats);
  const holds = Object.entries(state.holds);
  const args = [
    crypto.randomUUID(),
    state.version,
    state.salesOpenAt,
    state.startTime,
    fence,
    seats.length,
    holds.length,
    configOf(state),
    ...seats.flatMap(([id, entry]) => [id, JSON.stringify(entry)]),
    ...holds.flatMap(([token, hold]) => [token, JSON.stringify(hold)]),
  ].map(String);
  return (await INIT.run<number>(client, screeningKeys(state.screeningId), args)) === 1;
}

export interface Difference {
  /** The build and version the difference was reduced from. */
  readonly from: { readonly gen: string; readonly version: number };
  /** The screening after it (read before the commit's first await: the line goes on changing it). */
  readonly to: ScreeningSeats;
  /** The seats the reducer wrote, with their entries after. */
  readonly seats: ReadonlyMap<string, SeatEntry>;
  /** The holds the reducer wrote: the hold after, or undefined when it is gone. */
  readonly holds: ReadonlyMap<string, Hold | undefined>;
  /** Whether the admin's configuration (sales window, gaps, prices) changed. */
  readonly configured?: boolean;
  /** The batches to publish, one per version from `from.version` + 1 to to.version. */
  readonly batches: readonly { version: number; changes: readonly SeatChange[] }[];
  readonly deadline: number | null;
  /** Take the commit lease for this long, along with the write. */
  readonly leaseMs?: number;
}

export type CommitOutcome =
  | { readonly kind: 'cold' }
  | { readonly kind: 'stale'; readonly now: StoredImage }
  | { readonly kind: 'ok'; readonly fence?: number; readonly leaseBusyMs?: number };

type CommitReply = ['cold'] | ['stale', ...StoredHashes] | ['ok', number];

/** Commits what the reducer wrote: only those seats and holds are sent, whatever the screening's size. */
export async function commitDifference(client: RedisClient, diff: Difference): Promise<CommitOutcome> {
  const { from, to } = diff;
  const seats: string[] = [];
  for (const [id, entry] of diff.seats) seats.push(id, JSON.stringify(entry));
  const holdSets: string[] = [];
  const holdDels: string[] = [];
  for (const [token, hold] of diff.holds) {
    if (hold) holdSets.push(token, JSON.stringify(hold));
    else holdDels.push(token);
  }
  const committedAt = Date.now();
  const messages = diff.batches.map((batch) => JSON.stringify({ type: 'seats', ...batch, committedAt }));
  // The admin's configuration, only when a command changed it (rare: PATCH).
  const metas = diff.configured ? ['salesOpenAt', String(to.salesOpenAt), 'config', configOf(to)] : [];
  const args = [
    changesChannel(to.screeningId),
    from.gen,
    from.version,
    to.version,
    diff.deadline ?? '',
    diff.leaseMs ?? '',
    seats.length / 2,
    holdSets.length / 2,
    holdDels.length,
    messages.length,
    metas.length / 2,
    ...metas,
    ...seats,
    ...holdSets,
    ...holdDels,
    ...messages,
  ].map(String);
  const reply = await COMMIT.run<CommitReply>(client, screeningKeys(to.screeningId), args);
  if (reply[0] === 'cold') return { kind: 'cold' };
  if (reply[0] === 'stale')
    return { kind: 'stale', now: imageOf(to.screeningId, [reply[1], reply[2], reply[3]]) };
  const lease = Number(reply[1] ?? 0);
  if (lease > 0) return { kind: 'ok', fence: lease };
  if (lease < 0) return { kind: 'ok', leaseBusyMs: -lease };
  return { kind: 'ok' };
}

export async function releaseLease(client: RedisClient, screeningId: string, fence: number): Promise<void> {
  await RELEASE_LEASE.run(client, [screeningKeys(screeningId)[3] as string], [String(fence)]);
}
