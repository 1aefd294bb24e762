// The Redis coordinator's serializer: one in-process queue per screening, in front of the reducer.
// Each screening's image is kept in memory with the build and version it was read at. Commands that
// queue up while a commit is in flight are reduced together, one after the other, and committed as
// one difference (group commit); each gets its own answer once that commit landed. A commit refused
// because another process committed first (or Redis was rebuilt) reloads the image and reduces the
// group again, a bounded number of times. Nothing is answered from an image Redis has not confirmed.
import { AppError } from '../../domain/errors.ts';
import {
  type Decision,
  holdOf,
  nextDeadline,
  type Reducer,
  type ScreeningSeats,
  type SeatChange,
  type SeatCommand,
} from '../../domain/seats/index.ts';
import type { CommitOutcome, Difference, StoredImage } from './screening-store.ts';

/** How many times a group is reduced again after losing to another process before giving up (503). */
const MAX_ATTEMPTS = 16;
/** Commands per group: bounds the script's argument list. */
const MAX_GROUP = 128;

export interface LineJob {
  readonly command: SeatCommand;
  /** Also take the commit lease, if any of these holds is PAYMENT_PENDING after the command. */
  readonly lease?: { readonly holdTokens: readonly string[]; readonly leaseMs: number };
}

export type LineAnswer =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'done';
      readonly decision: Decision;
      /** The screening right after this command (the state a read answers from). */
      readonly state: ScreeningSeats;
      readonly lease?: { fence: number } | { busyMs: number } | 'not-in-payment';
      /** With a lease: those of its holds that are PAYMENT_PENDING. */
      readonly inPayment?: readonly string[];
    };

export interface LineStore {
  /** The image as Redis has it now, or null when the screening is not there. */
  load(screeningId: string): Promise<StoredImage | null>;
  /** Builds the screening into Redis from the system of record; false when there is no such screening. */
  build(screeningId: string): Promise<boolean>;
  commit(difference: Difference): Promise<CommitOutcome>;
}

export type CommitListener = (before: ScreeningSeats, after: ScreeningSeats) => void;

interface Waiting {
  readonly job: LineJob;
  readonly resolve: (answer: LineAnswer) => void;
  readonly reject: (error: unknown) => void;
}

interface Line {
  image: StoredImage | undefined;
  readonly waiting: Waiting[];
  draining: boolean;
}

const MISSING: LineAnswer = { kind: 'missing' };

export class ScreeningLines {
  readonly #store: LineStore;
  readonly #reduce: Reducer;
  readonly #committed: CommitListener;
  readonly #lines = new Map<string, Line>();

  constructor(store: LineStore, reduce: Reducer, committed: CommitListener) {
    this.#store = store;
    this.#reduce = reduce;
    this.#committed = committed;
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
    let fresh: StoredImage | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      let image = fresh ?? line.image;
      if (!image) {
        fresh = (await this.#store.load(screeningId)) ?? undefined;
        image = fresh;
        if (!image) {
          if (!(await this.#store.build(screeningId))) return group.map(() => MISSING);
          continue;
        }
      }
      const reduced = this.#reduceGroup(image.state, group);
      // Nothing to write and the image just read: the answers hold as of that read.
      if (fresh === image && reduced.batches.length === 0 && reduced.leaseMs === undefined) {
        line.image = image;
        return reduced.answers;
      }
      const outcome = await this.#store.commit({
        from: image,
        to: reduced.state,
        batches: reduced.batches,
        deadline: nextDeadline(reduced.state),
        ...(reduced.leaseMs === undefined ? {} : { leaseMs: reduced.leaseMs }),
      });
      if (outcome.kind !== 'ok') {
        line.image = undefined;
        fresh = outcome.kind === 'stale' ? outcome.now : undefined; // cold: build, then read
        continue;
      }
      line.image = { gen: image.gen, state: reduced.state };
      if (reduced.state !== image.state) this.#committed(image.state, reduced.state);
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

  #reduceGroup(start: ScreeningSeats, group: readonly Waiting[]) {
    const now = Date.now();
    let state = start;
    let leaseMs: number | undefined;
    const batches: { version: number; changes: readonly SeatChange[] }[] = [];
    const answers: LineAnswer[] = [];
    for (const { job } of group) {
      const decision = this.#reduce(state, job.command, now);
      if (decision.ok) {
        // A new version without seat changes (an extension, a configuration) is published too.
        if (decision.state.version !== state.version)
          batches.push({ version: decision.state.version, changes: decision.events });
        state = decision.state;
      }
      if (!job.lease) {
        answers.push({ kind: 'done', decision, state });
        continue;
      }
      const inPayment = decision.ok
        ? job.lease.holdTokens.filter((token) => holdOf(state, token)?.phase === 'PAYMENT_PENDING')
        : [];
      if (inPayment.length > 0) leaseMs = job.lease.leaseMs;
      answers.push({
        kind: 'done',
        decision,
        state,
        lease: inPayment.length > 0 ? { busyMs: 0 } : 'not-in-payment',
        inPayment,
      });
    }
    return { state, batches, answers, leaseMs };
  }
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
