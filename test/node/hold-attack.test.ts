// Denial of inventory (issue 15), the attacker of `npm run bench:attack` at a small size against the
// Node entry with the Redis coordinator and small limits (2 sign-ups and 12 held seats per address
// an hour; the screening limit and the cool-down at their defaults): sign-ups take an address per 2
// accounts, an address never holds more than its budget, the same accounts cannot reach a third
// screening, and release and re-hold never gives an account back the seats it has just given up.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Attacker } from '../../bench/support/attacker.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { testDatabase } from '../support/db.ts';
import { type DevStack, startCommand, waitFor } from '../support/dev-stack.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const REDIS = redisUrl(6);
const BUDGET = 12;
/** Two addresses' budget: the attacker needs both, and has nothing left on either. */
const SEATS = 2 * BUDGET;
const database = testDatabase();
let server: DevStack;
let base = '';

beforeAll(async () => {
  await flushRedis(REDIS);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startCommand([process.execPath, 'src/entries/node.ts'], {
    PORT: String(port),
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: REDIS,
    JWT_SECRET: 'hold-attack-test-secret-long-enough',
    TRUST_PROXY: '1',
    SIGNUPS_PER_IP_PER_HOUR: '2',
    HOLD_SEATS_PER_IP_PER_HOUR: String(BUDGET),
    // The defaults (2 screenings, 120 s), whatever the environment says.
    HELD_SCREENINGS_PER_MEMBER: undefined,
    HOLD_COOLDOWN_SECONDS: undefined,
  });
  await waitFor(`${base}/health`, server.child);
});

afterAll(async () => {
  server?.child.kill('SIGINT');
  await database.close();
  await flushRedis(REDIS);
});

describe('the denial-of-inventory attacker', () => {
  it('is held to the address budget, the screening limit and the cool-down', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => insertScreening(database.db, { seats: SEATS })));
    const attacker = new Attacker(base, 'x-forwarded-for');
    const free = async (id: string) =>
      (await attacker.seatMap(id)).filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.seatId);

    // Three accounts (8 seats each) take two addresses' sign-ups; the third was refused on the first.
    for (let i = 0; i < 3; i++) await attacker.signUp();
    expect(attacker.addresses).toHaveLength(2);
    expect(attacker.signupRefusals.map((refusal) => refusal.status)).toEqual([429]);

    // The whole screening, but never more than BUDGET seats from one address.
    const take = await attacker.place(a!.screeningId, await free(a!.screeningId), {
      newAccounts: true,
      newAddresses: true,
    });
    expect(take.held).toBe(SEATS);
    expect(await attacker.heldSeats(a!.screeningId)).toBe(SEATS);
    expect(attacker.accounts).toHaveLength(3);
    expect(attacker.addresses.map((address) => address.seatsHeld)).toEqual([BUDGET, BUDGET]);
    expect(take.refusals.RATE_LIMITED).toBeGreaterThan(0);
    const afterTake = attacker.resources();

    // Those addresses are spent for the hour: not one seat more from them, in any screening.
    const seatOfB = (await free(b!.screeningId))[0];
    for (const address of afterTake.addresses) {
      const more = await attacker.call(
        'POST',
        `/api/screenings/${b!.screeningId}/holds`,
        address,
        attacker.accounts[0]!.token,
        {
          seatIds: [seatOfB],
        },
      );
      expect([more.status, more.body.code]).toEqual([429, 'RATE_LIMITED']);
      expect(more.body.retryAfter).toBeGreaterThan(3000);
    }

    // With more addresses the same accounts reach a second screening, never a third.
    const second = await attacker.place(b!.screeningId, await free(b!.screeningId), {
      newAccounts: false,
      newAddresses: true,
    });
    expect(second.held).toBe(SEATS);
    const third = await attacker.place(c!.screeningId, await free(c!.screeningId), {
      newAccounts: false,
      newAddresses: true,
    });
    expect(third.held).toBe(0);
    expect(third.refusals.SCREENING_LIMIT_EXCEEDED).toBe(3);
    expect(await attacker.heldSeats(c!.screeningId)).toBe(0);

    // Release and re-hold: each account is refused its own seats (from an address with budget),
    // and only the seats another account could take are held again.
    const holdsOnA = attacker.accounts.flatMap((account) =>
      account.holds.filter((hold) => hold.screeningId === a!.screeningId),
    );
    const keep = await attacker.rehold(a!.screeningId, {
      newAccounts: false,
      newAddresses: true,
      own: afterTake,
    });
    expect(keep.heldByPreferred).toBe(0);
    // At least once per hold given back (a hold split by the address budget is refused per part).
    expect(keep.refusals.HOLD_COOLDOWN).toBeGreaterThanOrEqual(holdsOnA.length);
    expect(keep.heldWithOwn).toBe(0);
    expect(keep.held).toBeLessThan(SEATS);
    expect(await attacker.heldSeats(a!.screeningId)).toBe(keep.held);
  });
});
