// The per-screening commit lease of the Redis coordinator, with group commit. The Postgres commit of
// payments runs while this process holds the lease (taken in the same script call that confirms
// their holds are still in payment), with a fencing token that only grows; the commit checks the
// token in Postgres, so a process that was paused or partitioned past its lease cannot commit late.
// Within one process, commits of a screening that arrive while one is in flight wait and then go
// together: one lease, one batch (the caller commits it in one transaction), each caller answered
// with its own result. A batch that fails fails each of its callers, whose payments stay PENDING.
import { AppError } from '../../domain/errors.ts';
import { type CommitBatch, SeatsNotHeld } from '../../ports/seat-coordinator.ts';

/** How long a commit may wait for the lease before the payment answers 503 (and is settled later). */
const WAIT_MS = 5_000;
/** Payments per batch at most: bounds one statement's size and one transaction's length. */
const MAX_BATCH = 64;

/** The lease's fencing token and the holds found in payment, how long somebody else still holds it, or why not. */
export type LeaseAttempt =
  | { fence: number; inPayment: readonly string[] }
  | { busyMs: number }
  | 'not-in-payment'
  | 'missing';

export interface LeaseStore {
  acquire(screeningId: string, holdTokens: readonly string[], leaseMs: number): Promise<LeaseAttempt>;
  release(screeningId: string, fence: number): Promise<void>;
}

interface Waiting {
  readonly holdToken: string;
  readonly item: unknown;
  readonly batch: CommitBatch<unknown, unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class CommitLease {
  readonly #store: LeaseStore;
  readonly #leaseMs: number;
  readonly #waiting = new Map<string, Waiting[]>();

  constructor(store: LeaseStore, leaseMs: number) {
    this.#store = store;
    this.#leaseMs = leaseMs;
  }

  /**
   * Commits `item` with `batch` under the screening's lease, together with whatever else is waiting
   * for it with the same `batch`. Rejects with SeatsNotHeld if its hold is not in payment.
   */
  run<I, R>(screeningId: string, holdToken: string, item: I, batch: CommitBatch<I, R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.#waiting.get(screeningId);
      const idle = !queue;
      if (!queue) {
        queue = [];
        this.#waiting.set(screeningId, queue);
      }
      queue.push({
        holdToken,
        item,
        batch: batch as CommitBatch<unknown, unknown>,
        resolve: resolve as (result: unknown) => void,
        reject,
      });
      if (idle) void this.#drain(screeningId, queue);
    });
  }

  async #drain(screeningId: string, queue: Waiting[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue[0]?.batch;
        const group: Waiting[] = [];
        for (let i = 0; i < queue.length && group.length < MAX_BATCH; ) {
          if (queue[i]?.batch === batch) group.push(...queue.splice(i, 1));
          else i++;
        }
        await this.#commit(screeningId, group);
      }
    } finally {
      this.#waiting.delete(screeningId);
    }
  }

  async #commit(screeningId: string, group: Waiting[]): Promise<void> {
    let granted: { fence: number; inPayment: readonly string[] };
    try {
      granted = await this.#acquire(screeningId, [...new Set(group.map((waiting) => waiting.holdToken))]);
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    try {
      const ready: Waiting[] = [];
      for (const waiting of group) {
        if (granted.inPayment.includes(waiting.holdToken)) ready.push(waiting);
        else waiting.reject(new SeatsNotHeld(`hold ${waiting.holdToken} is not in payment`));
      }
      const commit = ready[0]?.batch;
      if (!commit) return;
      try {
        const results = await commit(
          granted.fence,
          ready.map((waiting) => waiting.item),
        );
        for (const [index, waiting] of ready.entries()) waiting.resolve(results[index]);
      } catch (error) {
        for (const waiting of ready) waiting.reject(error);
      }
    } finally {
      await this.#store.release(screeningId, granted.fence).catch(() => undefined);
    }
  }

  /** The lease, granted only while one of the holds is PAYMENT_PENDING; waits while another holds it. */
  async #acquire(
    screeningId: string,
    holdTokens: readonly string[],
  ): Promise<{ fence: number; inPayment: readonly string[] }> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      const attempt = await this.#store.acquire(screeningId, holdTokens, this.#leaseMs);
      if (attempt === 'missing') throw new SeatsNotHeld(`screening ${screeningId} is gone`);
      if (attempt === 'not-in-payment')
        throw new SeatsNotHeld(`holds ${holdTokens.join(', ')} are not in payment`);
      if ('fence' in attempt) return attempt;
      if (Date.now() >= giveUpAt) {
        throw new AppError('SERVICE_UNAVAILABLE', 'the seats are busy being paid for; try again shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(attempt.busyMs, 2), 25)));
    }
  }
}
