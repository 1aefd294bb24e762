// The seat coordinator's behaviour, written once against the port. Each adapter (the Durable
// Object actor, the Redis adapter) runs this same suite with its own harness.
import { describe, expect, it } from 'vitest';
import type { SeatCoordinator, SeatResult } from '../../src/ports/seat-coordinator.ts';
import { overlappingAttempts } from '../support/overlapping-holds.ts';

export interface ContractHarness {
  coordinator(): SeatCoordinator;
  /** A fresh screening in Postgres with `seats` seats, on sale now unless told otherwise. */
  createScreening(options?: { seats?: number; salesOpenAt?: Date; startTime?: Date }): Promise<{
    screeningId: string;
    seatIds: string[];
  }>;
  /** The hold TTL the coordinator was configured with, in seconds. */
  holdTtlSeconds: number;
  /** HOLD_COOLDOWN_SECONDS of the coordinator (more than a test lasts). */
  cooldownSeconds: number;
  /**
   * Every committed change is a version of the seat map of its own (the domain's reducer alone);
   * else changes committed close together may share one (the actor's live ticks, the Redis
   * coordinator's group commits), and a map read covers every change committed before it.
   */
  versionPerChange: boolean;
}

const memberIds = () => [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()] as const;

function ok<T>(result: SeatResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function error<T>(result: SeatResult<T>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

export function seatCoordinatorContract(name: string, harness: ContractHarness): void {
  const statusesOf = async (seats: SeatCoordinator, screeningId: string) => {
    const map = ok(await seats.snapshot(screeningId));
    return { version: map.version, status: new Map(map.seats.map((seat) => [seat.seatId, seat.status])) };
  };

  describe(`seat coordinator contract: ${name}`, () => {
    it('holds seats for the member, with a token and an expiry one TTL away, and shows them HOLD', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      const before = await statusesOf(seats, screeningId);
      const started = Date.now();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!, seatIds[1]!]));
      expect(hold).toMatchObject({ screeningId, seatIds: [seatIds[0], seatIds[1]] });
      expect(hold.holdToken).toEqual(expect.any(String));
      const expiresAt = Date.parse(hold.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(started + harness.holdTtlSeconds * 1000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + harness.holdTtlSeconds * 1000 + 1000);
      const after = await statusesOf(seats, screeningId);
      expect(after.version).toBe(before.version + 1);
      expect(after.status.get(seatIds[0]!)).toBe('HOLD');
      expect(after.status.get(seatIds[1]!)).toBe('HOLD');
      expect(after.status.get(seatIds[2]!)).toBe('AVAILABLE');
    });

    it('is all or nothing: one taken seat refuses the whole hold and changes nothing', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      ok(await seats.hold(screeningId, alice, [seatIds[0]!, seatIds[1]!]));
      const before = await statusesOf(seats, screeningId);
      const refused = error(await seats.hold(screeningId, bob, [seatIds[1]!, seatIds[2]!]));
      expect(refused).toEqual({ code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[1]] });
      const after = await statusesOf(seats, screeningId);
      expect(after).toEqual(before);
      expect(after.status.get(seatIds[2]!)).toBe('AVAILABLE');
    });

    it('refuses malformed and unknown seat lists', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening({ seats: 12 });
      const [alice] = memberIds();
      expect(error(await seats.hold(screeningId, alice, [])).code).toBe('VALIDATION_FAILED');
      expect(error(await seats.hold(screeningId, alice, seatIds.slice(0, 9))).code).toBe('VALIDATION_FAILED');
      expect(error(await seats.hold(screeningId, alice, [seatIds[0]!, seatIds[0]!])).code).toBe(
        'VALIDATION_FAILED',
      );
      const unknown = crypto.randomUUID();
      expect(error(await seats.hold(screeningId, alice, [seatIds[0]!, unknown]))).toEqual({
        code: 'SEAT_NOT_AVAILABLE',
        unavailableSeatIds: [unknown],
      });
      expect((await statusesOf(seats, screeningId)).status.get(seatIds[0]!)).toBe('AVAILABLE');
    });

    it('lets one member hold at most 8 seats of a screening at a time', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening({ seats: 20 });
      const [alice, bob] = memberIds();
      ok(await seats.hold(screeningId, alice, seatIds.slice(0, 5)));
      const over = error(await seats.hold(screeningId, alice, seatIds.slice(5, 9)));
      expect(over).toMatchObject({ code: 'HOLD_LIMIT_EXCEEDED', limit: 8, heldSeats: 5, requestedSeats: 4 });
      ok(await seats.hold(screeningId, alice, seatIds.slice(5, 8)));
      ok(await seats.hold(screeningId, bob, seatIds.slice(8, 16)));
    });

    it('releases only the owner’s hold, and frees its seats', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      expect(error(await seats.release(screeningId, bob, hold.holdToken)).code).toBe('HOLD_NOT_FOUND');
      expect(error(await seats.release(screeningId, alice, 'no-such-token')).code).toBe('HOLD_NOT_FOUND');
      ok(await seats.release(screeningId, alice, hold.holdToken));
      expect((await statusesOf(seats, screeningId)).status.get(seatIds[0]!)).toBe('AVAILABLE');
      expect(error(await seats.release(screeningId, alice, hold.holdToken)).code).toBe('HOLD_NOT_FOUND');
    });

    it('lists a member’s live holds and nobody else’s', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const first = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      const second = ok(await seats.hold(screeningId, alice, [seatIds[1]!, seatIds[2]!]));
      ok(await seats.hold(screeningId, bob, [seatIds[3]!]));
      const mine = await seats.holdsOf(screeningId, alice);
      expect(mine.map((hold) => hold.holdToken).sort()).toEqual([first.holdToken, second.holdToken].sort());
      expect(mine.find((hold) => hold.holdToken === second.holdToken)?.seatIds).toEqual([
        seatIds[1],
        seatIds[2],
      ]);
    });

    it('respects the sales window', async () => {
      const seats = harness.coordinator();
      const [alice] = memberIds();
      const early = await harness.createScreening({ salesOpenAt: new Date(Date.now() + 3_600_000) });
      expect(error(await seats.hold(early.screeningId, alice, [early.seatIds[0]!])).code).toBe(
        'SALES_NOT_OPEN',
      );
      const started = await harness.createScreening({
        salesOpenAt: new Date(Date.now() - 7_200_000),
        startTime: new Date(Date.now() - 60_000),
      });
      expect(error(await seats.hold(started.screeningId, alice, [started.seatIds[0]!])).code).toBe(
        'SALES_CLOSED',
      );
    });

    it('walks a hold through payment to RESERVED, idempotently, and refuses a release mid-payment', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!, seatIds[1]!]));
      expect(error(await seats.startPayment(screeningId, bob, hold.holdToken)).code).toBe('HOLD_NOT_FOUND');
      const pending = ok(await seats.startPayment(screeningId, alice, hold.holdToken));
      expect(pending.seatIds).toEqual([seatIds[0], seatIds[1]]);
      expect((await statusesOf(seats, screeningId)).status.get(seatIds[0]!)).toBe('PAYMENT_PENDING');
      expect(error(await seats.release(screeningId, alice, hold.holdToken)).code).toBe('PAYMENT_IN_PROGRESS');
      expect(error(await seats.startPayment(screeningId, alice, hold.holdToken)).code).toBe(
        'PAYMENT_IN_PROGRESS',
      );
      ok(await seats.finishPayment(screeningId, hold.holdToken, 'R-CONTRACT-1'));
      const reserved = await statusesOf(seats, screeningId);
      expect(reserved.status.get(seatIds[0]!)).toBe('RESERVED');
      ok(await seats.finishPayment(screeningId, hold.holdToken, 'R-CONTRACT-1'));
      expect((await statusesOf(seats, screeningId)).version).toBe(reserved.version);
      expect(await seats.holdsOf(screeningId, alice)).toEqual([]);
    });

    it('frees the seats of a failed payment, and failing again changes nothing', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      ok(await seats.startPayment(screeningId, alice, hold.holdToken));
      ok(await seats.failPayment(screeningId, hold.holdToken));
      const after = await statusesOf(seats, screeningId);
      expect(after.status.get(seatIds[0]!)).toBe('AVAILABLE');
      ok(await seats.failPayment(screeningId, hold.holdToken));
      expect((await statusesOf(seats, screeningId)).version).toBe(after.version);
    });

    it('cancels a reservation and frees its seats once the refund is done', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      ok(await seats.startPayment(screeningId, alice, hold.holdToken));
      ok(await seats.finishPayment(screeningId, hold.holdToken, 'R-CONTRACT-2'));
      ok(await seats.cancel(screeningId, 'R-CONTRACT-2', [seatIds[0]!]));
      expect((await statusesOf(seats, screeningId)).status.get(seatIds[0]!)).toBe('RESERVATION_CANCELLED');
      ok(await seats.refundDone(screeningId, 'R-CONTRACT-2', [seatIds[0]!]));
      expect((await statusesOf(seats, screeningId)).status.get(seatIds[0]!)).toBe('AVAILABLE');
    });

    it('blocks and disables only AVAILABLE seats, all or nothing, and puts them back', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      const before = await statusesOf(seats, screeningId);
      expect(error(await seats.block(screeningId, [seatIds[0]!, seatIds[1]!]))).toEqual({
        code: 'SEAT_NOT_AVAILABLE',
        unavailableSeatIds: [seatIds[0]],
      });
      expect(await statusesOf(seats, screeningId)).toEqual(before);
      ok(await seats.block(screeningId, [seatIds[1]!]));
      ok(await seats.disable(screeningId, [seatIds[2]!]));
      let map = await statusesOf(seats, screeningId);
      expect([map.status.get(seatIds[1]!), map.status.get(seatIds[2]!)]).toEqual(['BLOCKED', 'DISABLED']);
      expect(error(await seats.hold(screeningId, alice, [seatIds[1]!])).code).toBe('SEAT_NOT_AVAILABLE');
      ok(await seats.unblock(screeningId, [seatIds[1]!]));
      ok(await seats.enable(screeningId, [seatIds[2]!]));
      map = await statusesOf(seats, screeningId);
      expect([map.status.get(seatIds[1]!), map.status.get(seatIds[2]!)]).toEqual(['AVAILABLE', 'AVAILABLE']);
    });

    it('keeps a member from taking back the seats it released for the cool-down, and nobody else', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!, seatIds[1]!]));
      ok(await seats.release(screeningId, alice, hold.holdToken));
      const refused = error(await seats.hold(screeningId, alice, [seatIds[1]!, seatIds[2]!]));
      expect(refused).toMatchObject({ code: 'HOLD_COOLDOWN', seatIds: [seatIds[1]] });
      expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(harness.cooldownSeconds - 10);
      expect((refused as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(harness.cooldownSeconds);
      ok(await seats.hold(screeningId, alice, [seatIds[2]!]));
      ok(await seats.hold(screeningId, bob, [seatIds[0]!, seatIds[1]!]));
    });

    it('takes back a hold without a cool-down when the app undoes it', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      ok(await seats.release(screeningId, alice, hold.holdToken, true));
      ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
    });

    it('extends a hold for its owner only, one version, seats still HOLD', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      const before = await statusesOf(seats, screeningId);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(error(await seats.extend(screeningId, bob, hold.holdToken)).code).toBe('HOLD_NOT_FOUND');
      expect(error(await seats.extend(screeningId, alice, 'no-such-token')).code).toBe('HOLD_NOT_FOUND');
      const extended = ok(await seats.extend(screeningId, alice, hold.holdToken));
      expect(extended.holdToken).toBe(hold.holdToken);
      expect(Date.parse(extended.expiresAt)).toBeGreaterThan(Date.parse(hold.expiresAt));
      const after = await statusesOf(seats, screeningId);
      expect(after.version).toBe(before.version + 1);
      expect(after.status).toEqual(before.status);
      const [listed] = await seats.holdsOf(screeningId, alice);
      expect(listed?.expiresAt).toBe(extended.expiresAt);
      ok(await seats.startPayment(screeningId, alice, hold.holdToken));
      expect(error(await seats.extend(screeningId, alice, hold.holdToken)).code).toBe('PAYMENT_IN_PROGRESS');
    });

    it('refuses a hold that leaves a single-seat gap once the screening PREVENTs them', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening({ seats: 10 });
      const [alice, bob] = memberIds();
      // Row A, seats 1..10: under ALLOW seat 1 may be left alone.
      ok(await seats.hold(screeningId, alice, [seatIds[1]!]));
      ok(await seats.configure(screeningId, { singleSeatGaps: 'PREVENT' }));
      const before = await statusesOf(seats, screeningId);
      expect(error(await seats.hold(screeningId, bob, [seatIds[3]!, seatIds[4]!]))).toEqual({
        code: 'SINGLE_SEAT_GAP',
        gapSeatIds: [seatIds[2]],
      });
      expect(await statusesOf(seats, screeningId)).toEqual(before);
      // Filling the old gap, or leaving none, is fine.
      ok(await seats.hold(screeningId, bob, [seatIds[0]!, seatIds[2]!, seatIds[3]!]));
      ok(await seats.configure(screeningId, { singleSeatGaps: 'ALLOW' }));
      ok(await seats.hold(screeningId, bob, [seatIds[5]!]));
    });

    it('chooses and holds the best seats in one step: two thirds back, in the middle', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening({ seats: 40 });
      const [alice, bob] = memberIds();
      // Rows A..D of ten: two thirds back is row C (index 2), the middle is seats 5 and 6.
      const best = ok(await seats.holdBest(screeningId, alice, { count: 2 }));
      expect(best.seatIds).toEqual([seatIds[24], seatIds[25]]);
      const map = await statusesOf(seats, screeningId);
      expect(map.status.get(seatIds[24]!)).toBe('HOLD');
      const next = ok(await seats.holdBest(screeningId, bob, { count: 4 }));
      expect(next.seatIds).toHaveLength(4);
      expect(next.seatIds.some((id) => best.seatIds.includes(id))).toBe(false);
      expect(error(await seats.holdBest(screeningId, bob, { count: 5 })).code).toBe('HOLD_LIMIT_EXCEEDED');
      expect(
        error(await seats.holdBest(screeningId, crypto.randomUUID(), { count: 2, types: ['VIP'] })),
      ).toEqual({
        code: 'NOT_ENOUGH_SEATS',
      });
    });

    it('takes a new sales opening and new prices from configure', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice] = memberIds();
      ok(
        await seats.configure(screeningId, {
          salesOpenAt: Date.now() + 3_600_000,
          prices: { STANDARD: 9000 },
        }),
      );
      expect(error(await seats.hold(screeningId, alice, [seatIds[0]!])).code).toBe('SALES_NOT_OPEN');
      const map = ok(await seats.snapshot(screeningId));
      expect(map.seats[0]?.price).toBe(9000);
      ok(await seats.configure(screeningId, { salesOpenAt: Date.now() - 1000 }));
      ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
    });

    it('answers NOT_FOUND for a screening Postgres does not have', async () => {
      const seats = harness.coordinator();
      expect(error(await seats.snapshot(crypto.randomUUID())).code).toBe('NOT_FOUND');
    });

    it('gives every seat to at most one of 500 concurrent overlapping holds, all or nothing', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening({ seats: 40 });
      const start = (await statusesOf(seats, screeningId)).version;
      const members = Array.from({ length: 100 }, () => crypto.randomUUID());
      const attempts = overlappingAttempts(seatIds, members, 500, 11);
      const results = await Promise.all(attempts.map((a) => seats.hold(screeningId, a.who, a.seatIds)));
      const owner = new Map<string, string>();
      for (const [index, result] of results.entries()) {
        if (!result.ok) {
          expect(['SEAT_NOT_AVAILABLE', 'HOLD_LIMIT_EXCEEDED']).toContain(result.error.code);
          continue;
        }
        expect(result.value.seatIds).toEqual(attempts[index]!.seatIds);
        for (const seatId of result.value.seatIds) {
          expect(owner.has(seatId), `seat ${seatId} held twice`).toBe(false);
          owner.set(seatId, result.value.holdToken);
        }
      }
      expect(owner.size).toBeGreaterThan(0);
      const after = await statusesOf(seats, screeningId);
      for (const seatId of seatIds)
        expect(after.status.get(seatId)).toBe(owner.has(seatId) ? 'HOLD' : 'AVAILABLE');
      const made = results.filter((result) => result.ok).length;
      if (harness.versionPerChange) expect(after.version).toBe(start + made);
      else expect(after.version - start).toSatisfy((moved: number) => moved >= 1 && moved <= made);
    });

    it('moves the version on committed changes only, one version each at most, covered by a map read', async () => {
      const seats = harness.coordinator();
      const { screeningId, seatIds } = await harness.createScreening();
      const [alice, bob] = memberIds();
      const start = (await statusesOf(seats, screeningId)).version;
      const hold = ok(await seats.hold(screeningId, alice, [seatIds[0]!]));
      error(await seats.hold(screeningId, bob, [seatIds[0]!]));
      const held = await statusesOf(seats, screeningId);
      expect(held.version).toBe(start + 1);
      ok(await seats.release(screeningId, alice, hold.holdToken));
      error(await seats.release(screeningId, alice, hold.holdToken));
      ok(await seats.block(screeningId, [seatIds[5]!]));
      const after = await statusesOf(seats, screeningId);
      if (harness.versionPerChange) expect(after.version).toBe(start + 3);
      else expect(after.version - held.version).toSatisfy((moved: number) => moved === 1 || moved === 2);
      expect([after.status.get(seatIds[0]!), after.status.get(seatIds[5]!)]).toEqual([
        'AVAILABLE',
        'BLOCKED',
      ]);
      error(await seats.hold(screeningId, bob, [seatIds[5]!]));
      expect((await statusesOf(seats, screeningId)).version).toBe(after.version);
    });
  });
}
