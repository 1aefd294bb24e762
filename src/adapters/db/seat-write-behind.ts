// What a seat coordinator writes to Postgres behind its seat changes: availableSeats for screening
// lists, and the member-hold index behind GET /api/me/holds. Batched, at most one write of each
// kind in flight; a count written late never overwrites a newer one (it carries its version).
import { log } from '../../log.ts';
import type { Database } from './client.ts';
import { noteMemberHolds, recordSeatCounts } from './seat-repository.ts';

export type WithDatabase = <T>(work: (db: Database) => Promise<T>) => Promise<T>;

export class SeatWriteBehind {
  readonly #withDb: WithDatabase;
  readonly #background: (work: Promise<unknown>) => void;
  readonly #counts = new Map<string, { available: number; version: number }>();
  #countsFlushing = false;
  /** "screeningId memberId" pairs committed in the coordinator but not yet in member_holds. */
  readonly #holders = new Set<string>();
  #holdersFlush: Promise<void> | undefined;

  constructor(withDb: WithDatabase, background: (work: Promise<unknown>) => void) {
    this.#withDb = withDb;
    this.#background = background;
  }

  /** Records a screening's count as of `version`; written in the background, the newest wins. */
  counts(screeningId: string, available: number, version: number): void {
    const pending = this.#counts.get(screeningId);
    if (!pending || pending.version < version) this.#counts.set(screeningId, { available, version });
    if (this.#countsFlushing) return;
    this.#countsFlushing = true;
    this.#background(this.#flushCounts());
  }

  async #flushCounts(): Promise<void> {
    try {
      while (this.#counts.size > 0) {
        const batch = [...this.#counts];
        this.#counts.clear();
        await this.#withDb(async (db) => {
          for (const [screeningId, { available, version }] of batch)
            await recordSeatCounts(db, screeningId, available, version);
        });
      }
    } catch (error) {
      log('warn', 'seat counts not written', { error: String(error) });
    } finally {
      this.#countsFlushing = false;
    }
  }

  /**
   * Resolves once the member is in member_holds for the screening, batching every holder that
   * arrives meanwhile into one statement. A failed write is logged, not thrown: the hold stands.
   */
  async holder(screeningId: string, memberId: string): Promise<void> {
    const pair = `${screeningId} ${memberId}`;
    this.#holders.add(pair);
    while (this.#holders.has(pair)) {
      this.#holdersFlush ??= (async () => {
        const batch = [...this.#holders];
        try {
          const rows = batch.map((entry) => {
            const [screening = '', member = ''] = entry.split(' ');
            return { screeningId: screening, memberId: member };
          });
          await this.#withDb((db) => noteMemberHolds(db, rows));
        } catch (error) {
          log('warn', 'member hold index not written', { error: String(error) });
        } finally {
          for (const entry of batch) this.#holders.delete(entry);
          this.#holdersFlush = undefined;
        }
      })();
      await this.#holdersFlush;
    }
  }
}
