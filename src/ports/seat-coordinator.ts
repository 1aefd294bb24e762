// The seat coordinator port: everything the app asks of one screening's seats. The Durable Object
// actor (Workers) and the Redis adapter (Deno/Node) implement it and pass one contract suite.
// Results are values, never thrown errors: they cross Durable Object RPC, where errors lose their class.
import type { BestRequest, SeatError, SeatState, SingleSeatGaps } from '../domain/seats/index.ts';

export type SeatResult<T> = { ok: true; value: T } | { ok: false; error: SeatError | { code: 'NOT_FOUND' } };

export interface HoldView {
  holdToken: string;
  screeningId: string;
  seatIds: string[];
  /** ISO-8601: the hold TTL, or the payment deadline once payment started. */
  expiresAt: string;
}

export interface SeatView {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  status: SeatState;
  price: number;
}

export interface SeatMap {
  screeningId: string;
  version: number;
  seats: SeatView[];
}

/** What PATCH /api/admin/screenings/:id changes that the coordinator must know. */
export interface ScreeningConfig {
  salesOpenAt?: number;
  singleSeatGaps?: SingleSeatGaps;
  prices?: Record<string, number>;
}

export interface SeatCoordinator {
  hold(screeningId: string, memberId: string, seatIds: readonly string[]): Promise<SeatResult<HoldView>>;
  /** Best available: the coordinator chooses the seats and holds them in the same step. */
  holdBest(screeningId: string, memberId: string, best: BestRequest): Promise<SeatResult<HoldView>>;
  /** `undo`: the app takes back a hold it just made (no cool-down for the member). */
  release(
    screeningId: string,
    memberId: string,
    holdToken: string,
    undo?: boolean,
  ): Promise<SeatResult<null>>;
  /** A HOLD lives on, up to HOLD_MAX_SECONDS from its creation; the answer has the new expiresAt. */
  extend(screeningId: string, memberId: string, holdToken: string): Promise<SeatResult<HoldView>>;
  /** The screening's sales window, gap rule or prices changed in Postgres. */
  configure(screeningId: string, config: ScreeningConfig): Promise<SeatResult<null>>;
  /**
   * HOLD → PAYMENT_PENDING; the answer's expiresAt is the payment deadline. The hold keeps
   * `paymentKey` (the Idempotency-Key): the same member starting it again with that key resumes it.
   */
  startPayment(
    screeningId: string,
    memberId: string,
    holdToken: string,
    paymentKey?: string,
  ): Promise<SeatResult<HoldView>>;
  /** PAYMENT_PENDING → RESERVED, after the reservation is committed in Postgres. */
  finishPayment(screeningId: string, holdToken: string, reservationNo: string): Promise<SeatResult<null>>;
  /** PAYMENT_PENDING → AVAILABLE: declined, failed, or settled as failed. */
  failPayment(screeningId: string, holdToken: string): Promise<SeatResult<null>>;
  cancel(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>>;
  refundDone(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>>;
  block(screeningId: string, seatIds: string[]): Promise<SeatResult<null>>;
  unblock(screeningId: string, seatIds: string[]): Promise<SeatResult<null>>;
  disable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>>;
  enable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>>;
  snapshot(screeningId: string): Promise<SeatResult<SeatMap>>;
  holdsOf(screeningId: string, memberId: string): Promise<HoldView[]>;
  /** Whether the coordinator answers at all (GET /health `seats`). */
  health(): Promise<boolean>;
  /**
   * Runs the Postgres commit of PAYMENT_PENDING → RESERVED under the screening's commit fence.
   * A coordinator shared by many processes (Redis) holds a lease and passes its fencing token, which
   * the commit checks in Postgres so a process that lost its lease cannot commit. The lease is
   * granted only while `holdToken` is PAYMENT_PENDING in the coordinator; otherwise it rejects with
   * SeatsNotHeld and nothing is committed. Commits of one screening that wait while one is in flight
   * are handed to `batch` together (group commit: one lease, one call), each answered with its own
   * result; if `batch` throws, each of them gets the error. A coordinator that is its screening's
   * only writer (one actor per screening) has nothing to fence and leaves this out: the commit runs
   * unfenced.
   */
  commitFenced?<I, R>(screeningId: string, holdToken: string, item: I, batch: CommitBatch<I, R>): Promise<R>;
}

/**
 * Commits a batch of one screening's payments under a fencing token; one result per item, in order.
 * Pass the same function for every call that may share a batch (group commit goes by identity).
 */
export type CommitBatch<I, R> = (fenceToken: number | null, items: readonly I[]) => Promise<R[]>;

/** Work a coordinator found due at its deadlines: payments to settle, refunds to retry. */
export interface DueWork {
  /** With the member and Idempotency-Key that started each payment, when the hold knows them. */
  payments: readonly { holdToken: string; memberId?: string; paymentKey?: string }[];
  refunds: readonly { reservationNo: string }[];
}

/**
 * Settles due work, then tells `seats` the outcome. The coordinators hand it over and never run it
 * themselves: the entry files wire this callback, as they choose every other adapter.
 */
export type SettleDueWork = (screeningId: string, work: DueWork, seats: SeatCoordinator) => Promise<void>;

/** The coordinator no longer has the hold in payment (settled meanwhile, or lost with an emptied store). */
export class SeatsNotHeld extends Error {
  override name = 'SeatsNotHeld';
}

/** A committed change batch as live clients receive it. */
export interface SeatBatch {
  type: 'seats';
  version: number;
  changes: { seatId: string; status: SeatState }[];
  /** When the batch was committed (epoch ms, the server's clock): an addition to API.md's message. */
  committedAt?: number;
}

/**
 * The largest message a live seat-map client may send. The socket reads nothing but
 * `{"type":"ping"}`, so a bigger message closes it (1009) and no runtime buffers more than this.
 */
export const LIVE_MESSAGE_MAX_BYTES = 256;
