// A model of one screening's seats (API.md "Seat states", hold rules, the cool-down, versions) and the commands
// fast-check runs against a real seat coordinator and the model side by side (fc.commands). After
// every command the coordinator's answer and its seat map must match the model's. Harness-agnostic:
// the Durable Object runs it in workerd; the Redis coordinator can run it with its own harness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeatState } from '../../src/domain/seats/index.ts';
import type { SeatCoordinator, SeatResult } from '../../src/ports/seat-coordinator.ts';

export interface SeatModelHarness {
  coordinator(): SeatCoordinator;
  /** A fresh screening on sale now with `seats` AVAILABLE seats; its holds must outlive a run. */
  createScreening(options: { seats: number }): Promise<{ screeningId: string; seatIds: string[] }>;
}

const SEATS = 12;
/** The index of a seat id the screening does not have. */
const UNKNOWN = SEATS;
const MEMBERS = 3;
const MAX_HELD = 8;

type Seat = number;
interface ModelHold {
  label: number;
  member: number;
  seats: Seat[];
  phase: 'HOLD' | 'PAYMENT_PENDING';
}
interface GoneHold {
  label: number;
  member: number;
  /** Set when the hold was paid for: confirming it again with this number changes nothing. */
  reservationNo?: string;
}
interface ModelReservation {
  no: string;
  seats: Seat[];
  state: 'RESERVED' | 'CANCELLED' | 'REFUNDED';
}

export interface SeatModel {
  status: SeatState[];
  /** The member that released each AVAILABLE seat (its cool-down outlasts a run), else null. */
  cooling: (number | null)[];
  holds: ModelHold[];
  gone: GoneHold[];
  reservations: ModelReservation[];
  version: number;
  labels: number;
}

export interface SeatReal {
  seats: SeatCoordinator;
  screeningId: string;
  /** seatIds[UNKNOWN] belongs to no seat of the screening. */
  seatIds: string[];
  members: string[];
  tokens: Map<number, string>;
}

type Expected = { ok: true } | ({ code: string } & Record<string, unknown>);
type Command = fc.AsyncCommand<SeatModel, SeatReal>;

async function answers(result: SeatResult<unknown>, expected: Expected, command: Command): Promise<void> {
  const got = result.ok ? { ok: true } : result.error;
  if ('ok' in expected) expect([String(command), got]).toEqual([String(command), { ok: true }]);
  else expect([String(command), got]).toEqual([String(command), expect.objectContaining(expected)]);
}

/** The coordinator's seat map must be the model's, version included. */
async function sameSeats(model: SeatModel, real: SeatReal, command: Command): Promise<void> {
  const snapshot = await real.seats.snapshot(real.screeningId);
  if (!snapshot.ok) throw new Error(`snapshot failed: ${JSON.stringify(snapshot.error)}`);
  const byId = new Map(snapshot.value.seats.map((seat) => [seat.seatId, seat.status]));
  const statuses = real.seatIds.slice(0, SEATS).map((id) => byId.get(id));
  expect([String(command), snapshot.value.version, statuses]).toEqual([
    String(command),
    model.version,
    model.status,
  ]);
}

const ids = (real: SeatReal, seats: Seat[]) => seats.map((seat) => real.seatIds[seat]!);
const heldBy = (model: SeatModel, member: number) =>
  model.holds.filter((hold) => hold.member === member).reduce((sum, hold) => sum + hold.seats.length, 0);
const otherThan = (member: number, offset: number) => (member + 1 + (offset % (MEMBERS - 1))) % MEMBERS;
const move = (model: SeatModel, seats: Seat[], status: SeatState) => {
  for (const seat of seats) {
    model.status[seat] = status;
    model.cooling[seat] = null;
  }
  if (seats.length > 0) model.version++;
};

function hold(member: number, seats: Seat[]): Command {
  const command: Command = {
    check: () => true,
    async run(model, real) {
      let expected: Expected = { ok: true };
      if (seats.length < 1 || seats.length > 8 || new Set(seats).size !== seats.length) {
        expected = { code: 'VALIDATION_FAILED' };
      } else {
        const taken = seats.filter((seat) => seat === UNKNOWN || model.status[seat] !== 'AVAILABLE');
        if (taken.length > 0) expected = { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ids(real, taken) };
        else if (heldBy(model, member) + seats.length > MAX_HELD) {
          expected = { code: 'HOLD_LIMIT_EXCEEDED', heldSeats: heldBy(model, member) };
        } else if (seats.some((seat) => model.cooling[seat] === member)) {
          const cooling = seats.filter((seat) => model.cooling[seat] === member);
          expected = { code: 'HOLD_COOLDOWN', seatIds: ids(real, cooling) };
        }
      }
      const result = await real.seats.hold(real.screeningId, real.members[member]!, ids(real, seats));
      await answers(result, expected, command);
      if (result.ok) {
        const label = model.labels++;
        real.tokens.set(label, result.value.holdToken);
        model.holds.push({ label, member, seats, phase: 'HOLD' });
        move(model, seats, 'HOLD');
      }
      await sameSeats(model, real, command);
    },
    toString: () => `hold(m${member}, [${seats}])`,
  };
  return command;
}

/** Release or start payment on a live hold, by its owner or by somebody else. */
function onLiveHold(action: 'release' | 'startPayment', pick: number, stranger: number | null): Command {
  const command: Command = {
    check: (model) => model.holds.length > 0,
    async run(model, real) {
      const held = model.holds[pick % model.holds.length]!;
      const member = stranger === null ? held.member : otherThan(held.member, stranger);
      let expected: Expected = { ok: true };
      if (member !== held.member) expected = { code: 'HOLD_NOT_FOUND' };
      else if (held.phase === 'PAYMENT_PENDING') expected = { code: 'PAYMENT_IN_PROGRESS' };
      const result = await real.seats[action](
        real.screeningId,
        real.members[member]!,
        real.tokens.get(held.label)!,
      );
      await answers(result, expected, command);
      if (result.ok && action === 'release') {
        model.holds = model.holds.filter((h) => h !== held);
        model.gone.push({ label: held.label, member: held.member });
        move(model, held.seats, 'AVAILABLE');
        for (const seat of held.seats) model.cooling[seat] = held.member;
      } else if (result.ok) {
        held.phase = 'PAYMENT_PENDING';
        move(model, held.seats, 'PAYMENT_PENDING');
      }
      await sameSeats(model, real, command);
    },
    toString: () => `${action}(hold#${pick}${stranger === null ? '' : ', by a stranger'})`,
  };
  return command;
}

/** Confirm or fail a payment: on a PAYMENT_PENDING hold it moves the seats, on a HOLD it is refused. */
function finishPayment(outcome: 'confirm' | 'fail', pick: number, onPending: boolean): Command {
  const candidates = (model: SeatModel) =>
    model.holds.filter((held) => (held.phase === 'PAYMENT_PENDING') === onPending);
  const command: Command = {
    check: (model) => candidates(model).length > 0,
    async run(model, real) {
      const all = candidates(model);
      const held = all[pick % all.length]!;
      const token = real.tokens.get(held.label)!;
      const no = `MODEL-${held.label}`;
      const expected: Expected = onPending ? { ok: true } : { code: 'INVALID_TRANSITION' };
      const result =
        outcome === 'confirm'
          ? await real.seats.finishPayment(real.screeningId, token, no)
          : await real.seats.failPayment(real.screeningId, token);
      await answers(result, expected, command);
      if (result.ok) {
        model.holds = model.holds.filter((h) => h !== held);
        const confirmed = outcome === 'confirm';
        model.gone.push({
          label: held.label,
          member: held.member,
          ...(confirmed ? { reservationNo: no } : {}),
        });
        if (confirmed) model.reservations.push({ no, seats: held.seats, state: 'RESERVED' });
        move(model, held.seats, confirmed ? 'RESERVED' : 'AVAILABLE');
      }
      await sameSeats(model, real, command);
    },
    toString: () => `${outcome}Payment(${onPending ? 'pending' : 'held'}#${pick})`,
  };
  return command;
}

/** Anything asked again of a hold that is gone: refused or a no-op, never a change. */
function onGoneHold(
  action: 'release' | 'startPayment' | 'failPayment' | 'finishPayment',
  pick: number,
): Command {
  const command: Command = {
    check: (model) => model.gone.length > 0,
    async run(model, real) {
      const gone = model.gone[pick % model.gone.length]!;
      const token = real.tokens.get(gone.label)!;
      let result: SeatResult<unknown>;
      let expected: Expected;
      if (action === 'release' || action === 'startPayment') {
        result = await real.seats[action](real.screeningId, real.members[gone.member]!, token);
        expected = { code: 'HOLD_NOT_FOUND' };
      } else if (action === 'failPayment') {
        result = await real.seats.failPayment(real.screeningId, token);
        expected = { ok: true };
      } else {
        result = await real.seats.finishPayment(
          real.screeningId,
          token,
          gone.reservationNo ?? `MODEL-X${gone.label}`,
        );
        // Confirming again is a no-op while seats still carry the number; once refunded it is unknown.
        const sold = model.reservations.find((r) => r.no === gone.reservationNo && r.state !== 'REFUNDED');
        expected = sold ? { ok: true } : { code: 'HOLD_NOT_FOUND' };
      }
      await answers(result, expected, command);
      await sameSeats(model, real, command);
    },
    toString: () => `${action}(gone#${pick})`,
  };
  return command;
}

/** Cancel a reservation (again: a no-op), or report its refund done (again: a no-op). */
function onReservation(action: 'cancel' | 'refundDone', pick: number): Command {
  const candidates = (model: SeatModel) =>
    model.reservations.filter((r) => (action === 'cancel' ? r.state !== 'REFUNDED' : r.state !== 'RESERVED'));
  const command: Command = {
    check: (model) => candidates(model).length > 0,
    async run(model, real) {
      const all = candidates(model);
      const reservation = all[pick % all.length]!;
      const result = await real.seats[action](real.screeningId, reservation.no, ids(real, reservation.seats));
      await answers(result, { ok: true }, command);
      if (action === 'cancel' && reservation.state === 'RESERVED') {
        reservation.state = 'CANCELLED';
        move(model, reservation.seats, 'RESERVATION_CANCELLED');
      } else if (action === 'refundDone' && reservation.state === 'CANCELLED') {
        reservation.state = 'REFUNDED';
        move(model, reservation.seats, 'AVAILABLE');
      }
      await sameSeats(model, real, command);
    },
    toString: () => `${action}(reservation#${pick})`,
  };
  return command;
}

/** Admin moves: block/disable take AVAILABLE seats out of sale, all or nothing; unblock/enable put them back. */
function admin(action: 'block' | 'disable' | 'unblock' | 'enable', seats: Seat[]): Command {
  const target: SeatState = action === 'block' || action === 'unblock' ? 'BLOCKED' : 'DISABLED';
  const takeOut = action === 'block' || action === 'disable';
  const command: Command = {
    check: () => true,
    async run(model, real) {
      let expected: Expected = { ok: true };
      let moving: Seat[] = [];
      if (seats.includes(UNKNOWN)) expected = { code: 'VALIDATION_FAILED' };
      else if (takeOut) {
        const refused = seats.filter(
          (seat) => model.status[seat] !== 'AVAILABLE' && model.status[seat] !== target,
        );
        if (refused.length > 0)
          expected = { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: ids(real, refused) };
        else moving = seats.filter((seat) => model.status[seat] === 'AVAILABLE');
      } else {
        moving = seats.filter((seat) => model.status[seat] !== 'AVAILABLE');
        if (moving.some((seat) => model.status[seat] !== target)) expected = { code: 'INVALID_TRANSITION' };
      }
      const result = await real.seats[action](real.screeningId, ids(real, seats));
      await answers(result, expected, command);
      if (result.ok) move(model, moving, takeOut ? target : 'AVAILABLE');
      await sameSeats(model, real, command);
    },
    toString: () => `${action}([${seats}])`,
  };
  return command;
}

// m0 is busiest, so the 8-seat limit per member is reached often
const member = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat({ max: MEMBERS - 1 }));
const pick = fc.nat({ max: 20 });
const seat = fc.nat({ max: SEATS - 1 });
const holdSeats = fc.oneof(
  { weight: 6, arbitrary: fc.uniqueArray(seat, { minLength: 1, maxLength: 5 }) },
  // empty, duplicates, too many, or a seat the screening does not have
  { weight: 1, arbitrary: fc.array(fc.nat({ max: UNKNOWN }), { maxLength: 9 }) },
);
const adminSeats = fc.uniqueArray(fc.nat({ max: UNKNOWN }), { minLength: 1, maxLength: 3 });

export const seatCommands: fc.Arbitrary<Command>[] = [
  // holds weigh most: they are what a sale opening is made of
  ...Array.from({ length: 4 }, () => fc.tuple(member, holdSeats).map(([m, seats]) => hold(m, seats))),
  fc
    .tuple(
      fc.constantFrom('release' as const, 'startPayment' as const),
      pick,
      fc.option(fc.nat(), { freq: 4 }),
    )
    .map(([action, p, stranger]) => onLiveHold(action, p, stranger)),
  fc.tuple(fc.constantFrom('startPayment' as const), pick).map(([action, p]) => onLiveHold(action, p, null)),
  fc
    .tuple(fc.constantFrom('confirm' as const, 'fail' as const), pick, fc.boolean())
    .map(([outcome, p, pending]) => finishPayment(outcome, p, pending)),
  fc
    .tuple(
      fc.constantFrom(
        'release' as const,
        'startPayment' as const,
        'failPayment' as const,
        'finishPayment' as const,
      ),
      pick,
    )
    .map(([action, p]) => onGoneHold(action, p)),
  fc
    .tuple(fc.constantFrom('cancel' as const, 'refundDone' as const), pick)
    .map(([action, p]) => onReservation(action, p)),
  fc
    .tuple(
      fc.constantFrom('block' as const, 'disable' as const, 'unblock' as const, 'enable' as const),
      adminSeats,
    )
    .map(([action, seats]) => admin(action, seats)),
];

export function seatModelSuite(
  name: string,
  harness: SeatModelHarness,
  options: { numRuns: number; maxCommands: number },
): void {
  describe(`seat coordinator against the model: ${name}`, () => {
    it('answers and changes every seat as the model does, command after command', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(seatCommands, { maxCommands: options.maxCommands, size: 'max' }),
          async (commands) => {
            const seats = harness.coordinator();
            const screening = await harness.createScreening({ seats: SEATS });
            const start = await seats.snapshot(screening.screeningId);
            if (!start.ok) throw new Error('a fresh screening has no seat map');
            const model: SeatModel = {
              status: Array.from({ length: SEATS }, () => 'AVAILABLE' as SeatState),
              cooling: Array.from({ length: SEATS }, () => null),
              holds: [],
              gone: [],
              reservations: [],
              version: start.value.version,
              labels: 0,
            };
            const real: SeatReal = {
              seats,
              screeningId: screening.screeningId,
              seatIds: [...screening.seatIds, crypto.randomUUID()],
              members: Array.from({ length: MEMBERS }, () => crypto.randomUUID()),
              tokens: new Map(),
            };
            await fc.asyncModelRun(() => ({ model, real }), commands);
          },
        ),
        { numRuns: options.numRuns },
      );
    }, 120_000);
  });
}
