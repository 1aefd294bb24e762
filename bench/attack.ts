// `npm run bench:attack`: denial of inventory, measured (issue 15). On each runtime (Marquee's Worker
// on workerd through Miniflare with wrangler.toml's vars and Rate Limiting bindings as they are;
// Marquee on Node with Redis), with the product's default for every limit, an attacker on the public
// API (bench/support/attacker.ts) signs up the accounts the documented 8-seat rule says it needs,
// takes every seat of a screening as fast as it can, tries a second and a third screening with the
// same accounts, and just before its holds' TTL gives each back and re-takes it (release and
// re-hold), while the second screening's holds are only extended. After the TTL it counts what is
// still held. Beside it a real buyer (one account, one address) changes its mind, lets a hold expire
// and holds in three screenings, and every answer it gets is kept. Only three settings differ from
// production: JWT_SECRET (a production secret), TRUST_PROXY=1 on Node (addresses are simulated with
// X-Forwarded-For; on workerd with CF-Connecting-IP, which the direct socket passes on as Cloudflare
// would set it) and, with --hold-ttl, HOLD_TTL_SECONDS (default: the product's 300 s, about 5.5
// minutes a runtime). The figures are counts; times on a shared machine mean little.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_HELD_SEATS_PER_MEMBER } from '../src/domain/seats/index.ts';
import { createScratchDatabase } from '../src/local/scratch-database.ts';
import { flushRedis, redisUrl } from '../test/support/redis.ts';
import { insertScreening } from '../test/support/screening-fixture.ts';
import { startMarqueeNode } from './runtimes/node.ts';
import type { Server } from './runtimes/server.ts';
import { buildMarqueeWorker, startMarqueeWorker } from './runtimes/workers.ts';
import { type AddressHeader, Attacker, type Placed, type Resources } from './support/attacker.ts';
import { JWT_SECRET } from './support/settings.ts';

const USAGE = `npm run bench:attack -- [options]
  --seats N         seats of each attacked screening (default 200)
  --hold-ttl S      HOLD_TTL_SECONDS (default: the product's, 300); the run waits it out
  --runtimes LIST   workers,node (default both)
  --out DIR         where attack.json goes (default bench/results)
Postgres: a database of the run's own next to DATABASE_URL; Redis: REDIS_URL, database 14, flushed.`;

const { values } = parseArgs({
  options: {
    seats: { type: 'string', default: '200' },
    'hold-ttl': { type: 'string' },
    runtimes: { type: 'string', default: 'workers,node' },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seats = Number(values.seats);

type Db = Parameters<typeof insertScreening>[0];

interface Step {
  what: string;
  status: number;
  code?: string;
  retryAfter?: number;
}

/** What a Placed says, with sets as counts, and how many of the addresses used `own` did not have. */
function counts(placed: Placed, own?: Resources) {
  const { addressesUsed, accountsUsed, ...rest } = placed;
  return {
    ...rest,
    addressesUsed: addressesUsed.size,
    accountsUsed: accountsUsed.size,
    addressesBeyondFirstTake: [...addressesUsed].filter((address) => !own?.addresses.has(address)).length,
  };
}

/** Three screenings of `count` seats each, by id. */
async function threeScreenings(db: Db, count: number): Promise<[string, string, string]> {
  const made = await Promise.all([1, 2, 3].map(() => insertScreening(db, { seats: count })));
  return made.map((screening) => screening.screeningId) as [string, string, string];
}

const sleepUntil = (at: number) => new Promise((done) => setTimeout(done, Math.max(0, at - Date.now())));

/** One account from one address: changes its mind, holds in three screenings, lets a hold expire. */
async function realBuyer(url: string, header: AddressHeader, db: Db): Promise<Step[]> {
  const steps: Step[] = [];
  // The attacker's client, used as a person would: one address of its own, one account.
  const buyer = new Attacker(url, header, '198.51.100');
  const address = buyer.newAddress();
  const account = await buyer.signUp(false);
  if (!account) throw new Error('the buyer could not sign up');
  const [d, e, f] = await threeScreenings(db, 20);
  const free = async (id: string) =>
    (await buyer.seatMap(id)).filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.seatId);
  const hold = async (what: string, id: string, seatIds: string[]) => {
    const answer = await buyer.call('POST', `/api/screenings/${id}/holds`, address, account.token, {
      seatIds,
    });
    steps.push({ what, status: answer.status, code: answer.body?.code, retryAfter: answer.body?.retryAfter });
    return answer;
  };
  const release = async (what: string, id: string, token: string) => {
    const answer = await buyer.call('DELETE', `/api/screenings/${id}/holds/${token}`, address, account.token);
    steps.push({ what, status: answer.status, code: answer.body?.code });
  };
  const dSeats = await free(d);
  const first = await hold('hold 4 seats', d, dSeats.slice(0, 4));
  await release('give them back', d, first.body.holdToken);
  await hold('hold the same 4 again at once', d, dSeats.slice(0, 4));
  const other = await hold('hold 4 other seats instead', d, dSeats.slice(4, 8));
  const eHold = await hold('hold 2 seats in a second screening', e, (await free(e)).slice(0, 2));
  const fSeats = await free(f);
  await hold('hold 2 seats in a third screening', f, fSeats.slice(0, 2));
  await release('give the second screening back', e, eHold.body.holdToken);
  await hold('hold the 2 seats in the third screening again', f, fSeats.slice(0, 2));
  // The 4 other seats of the first screening are let expire, then asked for again.
  await sleepUntil(Date.parse(other.body.expiresAt) + 3_000);
  await hold('after the hold expired: the same 4 seats', d, dSeats.slice(4, 8));
  await hold('after the hold expired: 4 other seats', d, dSeats.slice(8, 12));
  return steps;
}

async function attack(server: Server, header: AddressHeader, db: Db) {
  const [a, b, c] = await threeScreenings(db, seats);
  const buyer = realBuyer(server.url, header, db);
  buyer.catch(() => {}); // awaited (and thrown) at the end
  const attacker = new Attacker(server.url, header);
  const freeSeats = async (id: string) =>
    (await attacker.seatMap(id)).filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.seatId);

  // Sign-ups first: as many accounts as the documented 8-seat rule says, from as few addresses as
  // the sign-up limit lets through (a refused sign-up moves to the next address).
  const wanted = Math.ceil(seats / MAX_HELD_SEATS_PER_MEMBER);
  for (let i = 0; i < wanted; i++) await attacker.signUp();
  const signups = {
    accounts: attacker.accounts.length,
    addresses: attacker.addresses.length,
    ms: Math.round(attacker.signupMs),
    refused: attacker.signupRefusals,
  };

  // 1. Every seat of A at once, adding accounts and addresses whenever refused.
  const seatsA = await freeSeats(a);
  let started = performance.now();
  const take = await attacker.place(a, seatsA, { newAccounts: true, newAddresses: true });
  const takeMs = Math.round(performance.now() - started);
  const afterTake = attacker.resources();
  const heldA = await attacker.heldSeats(a);
  const perAddress = attacker.addresses.map((address) => address.seatsHeld);

  // 2. and 3. The same accounts on a second and a third screening (more addresses allowed).
  const second = await attacker.place(b, await freeSeats(b), {
    newAccounts: false,
    newAddresses: true,
    own: afterTake,
  });
  const third = await attacker.place(c, await freeSeats(c), {
    newAccounts: false,
    newAddresses: true,
    own: afterTake,
  });
  const heldB = await attacker.heldSeats(b);
  const heldC = await attacker.heldSeats(c);

  // 4. Just before A's holds end: release and re-hold on A, extensions only on B.
  const holdsOf = (id: string) =>
    attacker.accounts.flatMap((account) => account.holds.filter((h) => h.screeningId === id));
  const endsA = holdsOf(a).map((h) => h.expiresAt);
  const endsB = holdsOf(b).map((h) => h.expiresAt);
  const ttlMs = Math.min(...endsA) - Date.now();
  const margin = Math.min(20_000, Math.max(2_000, ttlMs / 4));
  await sleepUntil(Math.min(...endsA, ...endsB) - margin);
  started = performance.now();
  const keep = await attacker.rehold(a, {
    newAccounts: true,
    newAddresses: true,
    own: afterTake,
  });
  const keepMs = Math.round(performance.now() - started);
  const extendB = await attacker.extendAll(b);

  // 5. After every first hold's TTL: what is still held.
  await sleepUntil(Math.max(...endsA, ...endsB) + 5_000);
  const afterTtl = {
    a: await attacker.heldSeats(a),
    b: await attacker.heldSeats(b),
    c: await attacker.heldSeats(c),
  };
  return {
    seats,
    signups,
    take: { ...counts(take), ms: takeMs, heldOnMap: heldA, seatsPerAddress: perAddress },
    accountsForTake: afterTake.accounts.size,
    addressesForTake: afterTake.addresses.size,
    secondScreening: { ...counts(second, afterTake), heldOnMap: heldB },
    thirdScreening: { ...counts(third, afterTake), heldOnMap: heldC },
    releaseAndRehold: { ...counts(keep, afterTake), ms: keepMs },
    extendSecond: extendB,
    heldAfterTtl: afterTtl,
    addressesInAll: attacker.addresses.length,
    accountsInAll: attacker.accounts.length,
    requests: attacker.requests,
    buyer: await buyer,
  };
}

type Result = Awaited<ReturnType<typeof attack>> & { runtime: string };

function describe(r: Result): string {
  const pct = (n: number) => `${Math.round((100 * n) / r.seats)}%`;
  const codes = (refusals: Record<string, number>) =>
    Object.entries(refusals)
      .map(([code, n]) => `${n}× ${code}`)
      .join(', ') || 'none';
  const signupWait = r.signups.refused.map((refusal) => refusal.retryAfter).filter(Boolean);
  return [
    `${r.runtime}:`,
    `  all ${r.seats} seats at once: ${r.take.heldOnMap}/${r.seats} held with ${r.accountsForTake} accounts from ${r.addressesForTake} address(es) (seats per address ${r.take.seatsPerAddress.slice(0, r.addressesForTake).join(', ')}; refused on the way: ${codes(r.take.refusals)}; ${r.take.ms} ms)`,
    `  sign-ups: ${r.signups.accounts} accounts from ${r.signups.addresses} address(es), ${r.signups.ms} ms; refused ${r.signups.refused.length}× 429${signupWait.length ? ` (Retry-After ${signupWait.join(', ')} s: from fewer addresses, a wait of that long)` : ''}`,
    `  second screening, same accounts: ${r.secondScreening.heldOnMap}/${r.seats} (${pct(r.secondScreening.heldOnMap)}) held, ${r.secondScreening.heldWithOwn} of them from the first take's addresses; ${r.secondScreening.addressesBeyondFirstTake} addresses beyond the first take's; refused: ${codes(r.secondScreening.refusals)}`,
    `  third screening, same accounts: ${r.thirdScreening.heldOnMap}/${r.seats} (${pct(r.thirdScreening.heldOnMap)}) held; refused: ${codes(r.thirdScreening.refusals)}`,
    `  release and re-hold before the TTL: ${r.releaseAndRehold.heldByPreferred} seats re-taken by the account that gave them back, ${r.releaseAndRehold.heldWithOwn} by the first take's accounts from its addresses; ${r.releaseAndRehold.held}/${r.seats} re-held in all with ${r.releaseAndRehold.accountsAdded} more account(s) and ${r.releaseAndRehold.addressesBeyondFirstTake} address(es) beyond the first take's (${r.releaseAndRehold.addressesAdded} new in this step); refused: ${codes(r.releaseAndRehold.refusals)}`,
    `  extension only (second screening): ${r.extendSecond.extended} holds extended (${codes(r.extendSecond.codes)})`,
    `  after the TTL: first screening ${r.heldAfterTtl.a}/${r.seats} (${pct(r.heldAfterTtl.a)}) held, second ${r.heldAfterTtl.b}/${r.seats} (${pct(r.heldAfterTtl.b)}), third ${r.heldAfterTtl.c}/${r.seats}`,
    `  in all: ${r.accountsInAll} accounts, ${r.addressesInAll} addresses, ${r.requests} requests`,
    '  a real buyer (one account, one address):',
    ...r.buyer.map(
      (step) =>
        `    ${step.what}: ${step.status}${step.code ? ` ${step.code}` : ''}${step.retryAfter ? ` (retry after ${step.retryAfter} s)` : ''}`,
    ),
  ].join('\n');
}

const database = await createScratchDatabase('marquee_attack_bench');
const connection = database.connect(4);
const buildDir = await mkdtemp(join(tmpdir(), 'marquee-attack-'));
const redis = redisUrl(14);
await flushRedis(redis);
const settings = {
  JWT_SECRET,
  ...(values['hold-ttl'] ? { HOLD_TTL_SECONDS: values['hold-ttl'] } : {}),
};
const results: Result[] = [];
try {
  for (const name of values.runtimes.split(',')) {
    const server =
      name === 'workers'
        ? await startMarqueeWorker({
            scriptPath: await buildMarqueeWorker(join(buildDir, 'marquee')),
            databaseUrl: database.url,
            settings,
            logFile: join(buildDir, 'marquee-workers.log'),
            rateLimits: 'configured',
          })
        : await startMarqueeNode({
            databaseUrl: database.url,
            redisUrl: redis,
            settings: { ...settings, TRUST_PROXY: '1' },
            logDir: buildDir,
          });
    try {
      const header = name === 'workers' ? 'cf-connecting-ip' : 'x-forwarded-for';
      const result = {
        runtime: name === 'workers' ? 'Workers (workerd)' : 'Node + Redis',
        ...(await attack(server, header, connection.db)),
      };
      results.push(result);
      console.log(describe(result));
    } finally {
      await server.stop();
    }
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'attack.json'), JSON.stringify(results, null, 2));
} finally {
  await connection.close().catch(() => {});
  await database.drop();
  await flushRedis(redis).catch(() => {});
  await rm(buildDir, { recursive: true, force: true });
}
