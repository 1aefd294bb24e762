// What a seat coordinator writes to Postgres behind its seat changes, never on a request's path:
// availableSeats for screening lists, and the member-hold index behind GET /api/me/holds. Whatever
// arrives within DELAY_MS is written together (one statement for the holders, one per screening's
// count), at most one write in flight; a count written late never overwrites a newer one (it
// carries its version). A coordinator that loads a screening notes its live holders and count
// again, so what a crash lost before its write is rebuilt.
import { countAvailable, isLive, type ScreeningSeats } from '../../domain/seats/index.ts';
import { log } from '../../log.ts';
import type { Database } from './client.ts';
import { noteMemberHolds, recordSeatCounts } from './seat-repository.ts';

/** The longest a change waits before it is written (GET /api/me/holds promises a hold within 1 s). */
export const DELAY_MS = 100;

export type WithDatabase = <T>(work: (db: Database) => Promise<T>) => Promise<T>;

export class SeatWriteBehind {
  readonly #withDb: WithDatabase;
  readonly #background: (work: Promise<unknown>) => void;
  readonly #counts = new Map<string, { available: number; version: number }>();
  /** "screeningId memberId" pairs committed in the coordinator but not yet in member_holds. */
  readonly #holders = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | undefined;
  /** Postgres statements written so far (for tests and the bench's per-hold counts). */
  statements = 0;

  constructor(withDb: WithDatabase, background: (work: Promise<unknown>) => void) {
    this.#withDb = withDb;
    this.#background = background;
  }

  /** Records a screening's count as of `version`; the newest pending one is written. */
  counts(screeningId: string, available: number, version: number): void {
    const pending = this.#counts.get(screeningId);
    if (!pending || pending.version < version) this.#counts.set(screeningId, { available, version });
    this.#schedule();
  }

  /** Records that the member holds seats of the screening now; written within DELAY_MS. */
  holder(screeningId: string, memberId: string): void {
    this.#holders.add(`${screeningId} ${memberId}`);
    this.#schedule();
  }

  /** A screening loaded by its coordinator: its live holders and its count, written again. */
  loaded(state: ScreeningSeats): void {
    const now = Date.now();
    for (const hold of Object.values(state.holds))
      if (isLive(hold, now)) this.#holders.add(`${state.screeningId} ${hold.memberId}`);
    this.counts(state.screeningId, countAvailable(state, now), state.version);
  }

  /** Resolves once everything recorded so far is written (or its write failed and was logged). */
  async settled(): Promise<void> {
    while (this.#timer !== undefined || this.#flushing) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#flushing ??= this.#flush();
      }
      await this.#flushing;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#flushing) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flush();
      this.#background(this.#flushing);
    }, DELAY_MS);
  }

  async #flush(): Promise<void> {
    const counts = [...this.#counts];
    this.#counts.clear();
    const holders = [...this.#holders].map((entry) => {
      const [screeningId = '', memberId = ''] = entry.split(' ');
      return { screeningId, memberId };
    });
    this.#holders.clear();
    try {
      await this.#withDb(async (db) => {
        if (holders.length > 0) {
          this.statements++;
          await noteMemberHolds(db, holders).catch((error: unknown) =>
            log('warn', 'member hold index not written', { error: String(error) }),
          );
        }
        for (const [screeningId, { available, version }] of counts) {
          this.statements++;
          await recordSeatCounts(db, screeningId, available, version);
        }
      });
    } catch (error) {
      log('warn', 'seat counts not written', { error: String(error) });
    } finally {
      this.#flushing = undefined;
      if (this.#counts.size > 0 || this.#holders.size > 0) this.#schedule();
    }
  }
}
