// The Redis coordinator's serializer: one in-process queue per screening, in front of the reducer.
// Each screening's image is kept in memory with the build and version it was read at, and this line
// is its only holder: the reducer's decisions are written into it (adopt), so a command costs what it
// changes, not the screening's size, and only a reader's answer gets a copy. Commands that queue up
// while a commit is in flight are reduced together, one after the other, and committed as one
// difference and one new version (group commit); each gets its own answer once that commit landed.
// An image whose commit did not land is dropped: a commit refused because another process committed
// first (or Redis was rebuilt) reloads it and reduces the group again, a bounded number of times.
// Nothing is answered from an image Redis has not confirmed.
import { AppError } from '../../domain/errors.ts';
import {
  adopt,
  availableChange,
  countAvailableByStatus,
  type Decision,
  earliestDeadline,
  type Hold,
  holdOf,
  type Reducer,
  rememberDeadline,
  type ScreeningSeats,
  type SeatChange,
  type SeatCommand,
  type SeatEntry,
} from '../../domain/seats/index.ts';
import type { CommitOutcome, Difference, StoredImage } from './screening-store.ts';

/** How many times a group is reduced again after losing to another process before giving up (503). */
const MAX_ATTEMPTS = 16;
/** Commands per group: bounds the script's argument list. */
const MAX_GROUP = 128;

export interface LineJob {
  readonly command: SeatCommand;
  /** The caller reads the screening as the command's group leaves it: the answer's `state`. */
  readonly read?: boolean;
  /** The caller wants this hold as it is right after the command: the answer's `hold`. */
  readonly hold?: string;
  /** Also take the commit lease, if any of these holds is PAYMENT_PENDING after the command. */
  readonly lease?: { readonly holdTokens: readonly string[]; readonly leaseMs: number };
}

export type LineAnswer =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'done';
      /** Its `state` is not to be read: the line has written the decision into its image since. */
      readonly decision: Decision;
      /** With `read`: the screening as its group left it (one version), a copy of the caller's own. */
      readonly state?: ScreeningSeats;
      /** With `hold`: that hold right after this command, if it exists. */
      readonly hold?: Hold;
      readonly lease?: { fence: number } | { busyMs: number } | 'not-in-payment';
      /** With a lease: those of its holds that are PAYMENT_PENDING. */
      readonly inPayment?: readonly string[];
    };

export interface LineStore {
  /** The image as Redis has it now (a fresh object each time), or null when the screening is not there. */
  load(screeningId: string): Promise<StoredImage | null>;
  /** Builds the screening into Redis from the system of record; false when there is no such screening. */
  build(screeningId: string): Promise<boolean>;
  commit(difference: Difference): Promise<CommitOutcome>;
}

/** What a commit changed, for what is kept beside the seats (counts, deadline hints). */
export interface Committed {
  readonly screeningId: string;
  readonly version: number;
  /** Seats AVAILABLE right after the commit. */
  readonly available: number;
  /** The deadlines the commit wrote: hold TTLs, payment deadlines, refund retries. */
  readonly deadlines: readonly number[];
  /** The screening's earliest deadline before the commit (nextDeadline), or null. */
  readonly earliestBefore: number | null;
}

export type CommitListener = (committed: Committed) => void;

/**
 * What this process adds to an image before the reducer sees it (the coordinator: the seat layout,
 * which Redis does not keep): the state itself when there is nothing to add (yet). An image keeps
 * what it was given until it is read again, so this costs one copy per image, not one per command.
 */
export type Attach = (state: ScreeningSeats) => ScreeningSeats;

interface Waiting {
  readonly job: LineJob;
  readonly resolve: (answer: LineAnswer) => void;
  readonly reject: (error: unknown) => void;
}

/** The line's own image: changed in place, never handed out; `available` kept along (countAvailableByStatus). */
interface OwnImage {
  readonly gen: string;
  state: ScreeningSeats;
  available: number;
}

interface Line {
  image: OwnImage | undefined;
  readonly waiting: Waiting[];
  draining: boolean;
}

const MISSING: LineAnswer = { kind: 'missing' };

export class ScreeningLines {
  readonly #store: LineStore;
  readonly #reduce: Reducer;
  readonly #committed: CommitListener;
  readonly #attach: Attach;
  readonly #lines = new Map<string, Line>();

  constructor(
    store: LineStore,
    reduce: Reducer,
    committed: CommitListener,
    attach: Attach = (state) => state,
  ) {
    this.#store = store;
    this.#reduce = reduce;
    this.#committed = committed;
    this.#attach = attach;
  }

  run(screeningId: string, job: LineJob): Promise<LineAnswer> {
    let line = this.#lines.get(screeningId);
    if (!line) {
      line = { image: undefined, waiting: [], draining: false };
      this.#lines.set(screeningId, line);
    }
    const answer = new Promise<LineAnswer>((resolve, reject) => line.waiting.push({ job, resolve, reject }));
    if (!line.draining) void this.#drain(screeningId, line);
    return answer;
  }

  /** Drops every image (Redis was rebuilt): the next command of each screening reads it again. */
  forgetImages(): void {
    for (const line of this.#lines.values()) line.image = undefined;
  }

  forget(screeningId: string): void {
    const line = this.#lines.get(screeningId);
    if (line) line.image = undefined;
    if (line && !line.draining) this.#lines.delete(screeningId);
  }

  async #drain(screeningId: string, line: Line): Promise<void> {
    line.draining = true;
    try {
      while (line.waiting.length > 0) {
        const group = takeGroup(line.waiting);
        try {
          const answers = await this.#commitGroup(screeningId, line, group);
          for (const [i, waiting] of group.entries()) waiting.resolve(answers[i] as LineAnswer);
        } catch (error) {
          line.image = undefined; // whether the commit landed is unknown: read it again
          for (const waiting of group) waiting.reject(error);
        }
      }
    } finally {
      line.draining = false;
    }
  }

  async #commitGroup(screeningId: string, line: Line, group: readonly Waiting[]): Promise<LineAnswer[]> {
    /** An image just read from Redis (not one kept from this process's last commit). */
    let fresh: OwnImage | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      let image = fresh ?? line.image;
      if (!image) {
        const loaded = await this.#store.load(screeningId);
        if (!loaded) {
          if (!(await this.#store.build(screeningId))) return group.map(() => MISSING);
          continue;
        }
        fresh = own(loaded);
        image = fresh;
      }
      // Changed in place from here on: trusted again only once its commit has landed.
      line.image = undefined;
      const from = { gen: image.gen, version: image.state.version };
      const earliestBefore = earliestDeadline(image.state);
      const reduced = this.#reduceGroup(image, group);
      // Nothing to write and the image just read: the answers hold as of that read.
      if (fresh === image && reduced.batches.length === 0 && reduced.leaseMs === undefined) {
        line.image = image;
        return reduced.answers;
      }
      const outcome = await this.#store.commit({
        from,
        to: image.state,
        seats: reduced.seats,
        holds: reduced.holds,
        configured: reduced.configured,
        batches: reduced.batches,
        deadline: earliestDeadline(image.state),
        ...(reduced.leaseMs === undefined ? {} : { leaseMs: reduced.leaseMs }),
      });
      if (outcome.kind !== 'ok') {
        fresh = outcome.kind === 'stale' ? own(outcome.now) : undefined; // cold: build, then read
        continue;
      }
      line.image = image;
      if (image.state.version !== from.version) {
        this.#committed({
          screeningId,
          version: image.state.version,
          available: image.available,
          deadlines: reduced.deadlines,
          earliestBefore,
        });
      }
      return reduced.answers.map((answer) =>
        answer.kind === 'done' && answer.lease !== undefined && answer.lease !== 'not-in-payment'
          ? {
              ...answer,
              lease:
                outcome.fence === undefined ? { busyMs: outcome.leaseBusyMs ?? 1 } : { fence: outcome.fence },
            }
          : answer,
      );
    }
    throw new AppError('SERVICE_UNAVAILABLE', 'the seats are too busy right now; try again shortly');
  }

  /**
   * Reduces the group's commands one after the other, writing each decision into `image`. The group
   * commits as one version (its batch: every command's changes, in order), not one per command: the
   * commit is one step that nobody sees half of, and each version is a message to every live socket.
   */
  #reduceGroup(image: OwnImage, group: readonly Waiting[]) {
    const now = Date.now();
    image.state = this.#attach(image.state);
    const from = image.state.version;
    let leaseMs: number | undefined;
    let configured = false;
    const seats = new Map<string, SeatEntry>();
    const holds = new Map<string, Hold | undefined>();
    const deadlines: number[] = [];
    const changes: SeatChange[] = [];
    const answers: LineAnswer[] = [];
    /** Answers that read the screening: they get it as the group leaves it (what the commit makes). */
    const readers: number[] = [];
    for (const { job } of group) {
      const before = image.state;
      const decision = this.#reduce(before, job.command, now);
      // A new version without seat changes (an extension, a configuration) is published too.
      if (decision.ok && decision.version !== before.version) {
        changes.push(...decision.events);
        image.available += availableChange(before, decision.written.seats);
        for (const [seatId, entry] of decision.written.seats) {
          if (!entry) continue; // seats are never removed
          seats.set(seatId, entry);
          if (entry.status === 'RESERVATION_CANCELLED' && entry.refundDueAt !== null)
            deadlines.push(entry.refundDueAt);
        }
        for (const [token, hold] of decision.written.holds) {
          holds.set(token, hold);
          if (hold) deadlines.push(hold.expiresAt);
        }
        if (decision.written.config) configured = true;
        image.state = adopt(before, decision);
      }
      const state = image.state;
      if (job.read) readers.push(answers.length);
      const seen = job.hold === undefined ? {} : { hold: holdOf(state, job.hold) };
      if (!job.lease) {
        answers.push({ kind: 'done', decision, ...seen });
        continue;
      }
      const inPayment = decision.ok
        ? job.lease.holdTokens.filter((token) => holdOf(state, token)?.phase === 'PAYMENT_PENDING')
        : [];
      if (inPayment.length > 0) leaseMs = job.lease.leaseMs;
      answers.push({
        kind: 'done',
        decision,
        ...seen,
        lease: inPayment.length > 0 ? { busyMs: 0 } : 'not-in-payment',
        inPayment,
      });
    }
    // Each decision moved the version by one; the group is published as one.
    const changed = image.state.version !== from;
    if (changed)
      image.state = rememberDeadline({ ...image.state, version: from + 1 }, earliestDeadline(image.state));
    const batches = changed ? [{ version: from + 1, changes }] : [];
    for (const i of readers)
      answers[i] = { ...(answers[i] as LineAnswer & { kind: 'done' }), state: copyOf(image.state) };
    return { seats, holds, configured, deadlines, batches, answers, leaseMs };
  }
}

/** An image just read, taken over by its line. */
const own = (image: StoredImage): OwnImage => ({
  gen: image.gen,
  state: image.state,
  available: countAvailableByStatus(image.state),
});

/** Copies handed to readers, one per state: readers between two writes share it. */
const copies = new WeakMap<ScreeningSeats, ScreeningSeats>();

/** A reader's own copy of the line's state (which goes on changing in place). */
function copyOf(state: ScreeningSeats): ScreeningSeats {
  let copy = copies.get(state);
  if (!copy) {
    copy = rememberDeadline(
      { ...state, seats: { ...state.seats }, holds: { ...state.holds } },
      earliestDeadline(state),
    );
    copies.set(state, copy);
  }
  return copy;
}

/** The waiting commands up to the group limit, and at most one that asks for the lease. */
function takeGroup(waiting: Waiting[]): Waiting[] {
  let end = 0;
  let leases = 0;
  while (end < waiting.length && end < MAX_GROUP) {
    if (waiting[end]?.job.lease && ++leases > 1) break;
    end += 1;
  }
  return waiting.splice(0, end);
}
