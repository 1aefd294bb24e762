// Concurrent holds and payment starts on one screening, in orders fast-check's scheduler picks
// (fc.scheduler): whatever the interleaving, every seat has at most one holder, a hold takes all
// its seats or none, a member holds at most 8, a stranger never starts somebody else's payment, and
// versions count the committed batches without a gap (one per change, or several changes to a batch
// where a coordinator sends them together). Written against a port-shaped harness: the
// pure reducer runs it in Node, the Durable Object in workerd.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HoldView, SeatCoordinator, SeatResult } from '../../src/ports/seat-coordinator.ts';

export type RacingSeats = Pick<SeatCoordinator, 'hold' | 'startPayment' | 'snapshot'>;

export interface InterleavingHarness {
  /** A fresh screening on sale with `seats` seats, and what was committed there, batch by batch. */
  start(seats: number): Promise<{
    seats: RacingSeats;
    screeningId: string;
    seatIds: string[];
    /** The versions of the committed batches seen so far, in the order they were published. */
    versions(): number[];
    /** Waits until the batch of `version` was seen (a no-op where they are seen synchronously). */
    settle(version: number): Promise<void>;
    /** Each committed change is a batch (a version) of its own; else changes close together may share one. */
    versionPerChange: boolean;
    stop(): void;
  }>;
}

const SEATS = 12;
const MEMBERS = 3;
/** API.md: one member holds at most 8 seats of a screening at a time. */
const MAX_HELD = 8;

interface Intent {
  member: number;
  seats: number[];
  pay: boolean;
  /** Somebody else tries to start payment on this intent's hold (by index), if any. */
  steal: number | null;
}

export const racingIntents: fc.Arbitrary<Intent[]> = fc.array(
  fc.record({
    member: fc.nat({ max: MEMBERS - 1 }),
    seats: fc.uniqueArray(fc.nat({ max: SEATS - 1 }), { minLength: 1, maxLength: 5 }),
    pay: fc.boolean(),
    steal: fc.option(fc.nat({ max: 9 }), { freq: 3 }),
  }),
  { minLength: 2, maxLength: 10 },
);

interface Outcome {
  held?: SeatResult<HoldView>;
  paid?: SeatResult<HoldView>;
  stolen?: SeatResult<HoldView>;
}

export async function raceHoldsAndPayments(
  harness: InterleavingHarness,
  s: fc.Scheduler,
  intents: Intent[],
): Promise<void> {
  const run = await harness.start(SEATS);
  try {
    const start = await run.seats.snapshot(run.screeningId);
    if (!start.ok) throw new Error('a fresh screening has no seat map');
    const members = Array.from({ length: MEMBERS }, () => crypto.randomUUID());
    const outcomes: Outcome[] = intents.map(() => ({}));

    const holdThenPay = intents.map(async (intent, i) => {
      await s.schedule(Promise.resolve(`hold #${i}`));
      const member = members[intent.member]!;
      const held = await run.seats.hold(
        run.screeningId,
        member,
        intent.seats.map((seat) => run.seatIds[seat]!),
      );
      outcomes[i]!.held = held;
      if (held.ok && intent.pay) {
        await s.schedule(Promise.resolve(`pay #${i}`));
        outcomes[i]!.paid = await run.seats.startPayment(run.screeningId, member, held.value.holdToken);
      }
    });
    const thefts = intents.map(async (intent, i) => {
      if (intent.steal === null) return;
      await s.schedule(Promise.resolve(`steal from #${intent.steal % intents.length} by #${i}`));
      const victim = outcomes[intent.steal % intents.length]!.held;
      if (victim?.ok) {
        outcomes[i]!.stolen = await run.seats.startPayment(
          run.screeningId,
          crypto.randomUUID(),
          victim.value.holdToken,
        );
      }
    });
    await s.waitFor(Promise.all([...holdThenPay, ...thefts]));

    // What must be true, whatever the order.
    const owner = new Map<number, number>();
    const heldByMember = new Map<number, number>();
    let committed = 0;
    intents.forEach((intent, i) => {
      const { held, paid, stolen } = outcomes[i]!;
      if (stolen) expect(stolen).toEqual({ ok: false, error: { code: 'HOLD_NOT_FOUND' } });
      if (!held?.ok) {
        expect(['SEAT_NOT_AVAILABLE', 'HOLD_LIMIT_EXCEEDED']).toContain(held?.error.code);
        return;
      }
      committed += 1;
      for (const seat of intent.seats) {
        expect({ seat, holders: [owner.get(seat), i] }).toEqual({ seat, holders: [undefined, i] });
        owner.set(seat, i);
      }
      heldByMember.set(intent.member, (heldByMember.get(intent.member) ?? 0) + intent.seats.length);
      if (intent.pay) {
        expect(paid?.ok).toBe(true); // the owner, on a live HOLD: nothing else can start it first
        committed += 1;
      }
    });
    for (const count of heldByMember.values()) expect(count).toBeLessThanOrEqual(MAX_HELD);

    const end = await run.seats.snapshot(run.screeningId);
    if (!end.ok) throw new Error('the seat map is gone');
    const statuses = new Map(end.value.seats.map((seat) => [seat.seatId, seat.status]));
    const expected = run.seatIds.map((_, seat) => {
      const holder = owner.get(seat);
      if (holder === undefined) return 'AVAILABLE';
      return intents[holder]!.pay ? 'PAYMENT_PENDING' : 'HOLD';
    });
    expect(run.seatIds.map((id) => statuses.get(id))).toEqual(expected);
    const batches = end.value.version - start.value.version;
    if (run.versionPerChange) expect(batches).toBe(committed);
    else expect(batches).toSatisfy((n: number) => n <= committed && (n > 0 || committed === 0));
    await run.settle(end.value.version);
    expect(run.versions()).toEqual(Array.from({ length: batches }, (_, k) => start.value.version + k + 1));
  } finally {
    run.stop();
  }
}

export function seatInterleavingSuite(
  name: string,
  harness: InterleavingHarness,
  options: { numRuns: number },
) {
  describe(`${name} under concurrent holds and payments (fc.scheduler)`, () => {
    it('keeps one holder per seat, all or nothing, and gapless versions in every interleaving', async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), racingIntents, (s, intents) =>
          raceHoldsAndPayments(harness, s, intents),
        ),
        { numRuns: options.numRuns },
      );
    }, 120_000);
  });
}
