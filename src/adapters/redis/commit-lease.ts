// The per-screening commit lease of the Redis coordinator: the Postgres commit of a payment runs
// while this process holds the lease (SET NX PX inside the seat script), with a fencing token that
// only grows; the commit transaction checks the token in Postgres, so a process that was paused or
// partitioned past its lease cannot commit late. Within one process, commits of a screening queue
// for the lease instead of all polling Redis for it.
import { AppError } from '../../domain/errors.ts';
import { SeatsNotHeld } from '../../ports/seat-coordinator.ts';
import type { Reply } from './script-replies.ts';

/** How long a commit may wait for the lease before the payment answers 503 (and is settled later). */
const WAIT_MS = 5_000;

export type RunScript = (
  screeningId: string,
  name: string,
  ...args: (string | number)[]
) => Promise<Reply | undefined>;

export class CommitLease {
  readonly #run: RunScript;
  readonly #leaseMs: number;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(run: RunScript, leaseMs: number) {
    this.#run = run;
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
        await this.#run(screeningId, 'releaseLease', fence).catch(() => undefined);
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
      const reply = await this.#run(screeningId, 'acquireLease', this.#leaseMs, holdToken);
      if (!reply) throw new SeatsNotHeld(`screening ${screeningId} is gone`);
      if (reply.ok && reply.fence !== undefined) return reply.fence;
      if (reply.error?.code === 'HOLD_NOT_FOUND')
        throw new SeatsNotHeld(`hold ${holdToken} is not in payment`);
      if (Date.now() >= giveUpAt) {
        throw new AppError('SERVICE_UNAVAILABLE', 'the seats are busy being paid for; try again shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(reply.retryMs ?? 5, 2), 25)));
    }
  }
}
