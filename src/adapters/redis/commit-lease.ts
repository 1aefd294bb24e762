// The per-screening commit lease of the Redis coordinator: the Postgres commit of a payment runs
// while this process holds the lease (taken in the same script call that confirms the hold is still
// in payment), with a fencing token that only grows; the commit transaction checks the token in
// Postgres, so a process that was paused or partitioned past its lease cannot commit late. Within
// one process, commits of a screening queue for the lease instead of all polling Redis for it.
import { AppError } from '../../domain/errors.ts';
import { SeatsNotHeld } from '../../ports/seat-coordinator.ts';

/** How long a commit may wait for the lease before the payment answers 503 (and is settled later). */
const WAIT_MS = 5_000;

/** The lease's fencing token, how long somebody else still holds it, or why it cannot be had. */
export type LeaseAttempt = { fence: number } | { busyMs: number } | 'not-in-payment' | 'missing';

export interface LeaseStore {
  acquire(screeningId: string, holdToken: string, leaseMs: number): Promise<LeaseAttempt>;
  release(screeningId: string, fence: number): Promise<void>;
}

export class CommitLease {
  readonly #store: LeaseStore;
  readonly #leaseMs: number;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(store: LeaseStore, leaseMs: number) {
    this.#store = store;
    this.#leaseMs = leaseMs;
  }

  async run<T>(screeningId: string, holdToken: string, commit: (fence: number) => Promise<T>): Promise<T> {
    const before = this.#queues.get(screeningId);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const queue = (before ?? Promise.resolve()).then(() => mine);
    this.#queues.set(screeningId, queue);
    try {
      await before;
      const fence = await this.#acquire(screeningId, holdToken);
      try {
        return await commit(fence);
      } finally {
        await this.#store.release(screeningId, fence).catch(() => undefined);
      }
    } finally {
      done();
      if (this.#queues.get(screeningId) === queue) this.#queues.delete(screeningId);
    }
  }

  /** The lease, granted only while the hold is PAYMENT_PENDING; waits while another holds it. */
  async #acquire(screeningId: string, holdToken: string): Promise<number> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      const attempt = await this.#store.acquire(screeningId, holdToken, this.#leaseMs);
      if (attempt === 'missing') throw new SeatsNotHeld(`screening ${screeningId} is gone`);
      if (attempt === 'not-in-payment') throw new SeatsNotHeld(`hold ${holdToken} is not in payment`);
      if ('fence' in attempt) return attempt.fence;
      if (Date.now() >= giveUpAt) {
        throw new AppError('SERVICE_UNAVAILABLE', 'the seats are busy being paid for; try again shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(attempt.busyMs, 2), 25)));
    }
  }
}
