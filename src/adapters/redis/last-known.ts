// What reads answer while Redis is down (the seed's fail-fast-on-write keeps reads alive): the last
// seat map and holds this process saw of each screening, kept current by the live batches it
// receives, and otherwise what Postgres knows (durable states, payments in flight).
import { type Hold, isLive } from '../../domain/seats/index.ts';
import type { HoldView, SeatBatch, SeatMap, SeatResult } from '../../ports/seat-coordinator.ts';
import type { Database } from '../db/client.ts';
import { seatMapOf } from '../db/seat-repository.ts';
import { loadScreeningImage } from './screening-image.ts';

const NOT_FOUND = { ok: false, error: { code: 'NOT_FOUND' } } as const;

export class LastKnownSeats {
  readonly #maps = new Map<string, SeatMap>();
  readonly #holds = new Map<string, Readonly<Record<string, Hold>>>();

  saw(map: SeatMap): void {
    this.#maps.set(map.screeningId, map);
  }

  sawHolds(screeningId: string, holds: Readonly<Record<string, Hold>>): void {
    this.#holds.set(screeningId, holds);
  }

  /** A batch right after the map we have is applied; anything else waits for the next snapshot. */
  sawBatch(screeningId: string, batch: SeatBatch): void {
    const last = this.#maps.get(screeningId);
    if (!last || batch.version !== last.version + 1) return;
    const changed = new Map(batch.changes.map((change) => [change.seatId, change.status]));
    this.#maps.set(screeningId, {
      ...last,
      version: batch.version,
      seats: last.seats.map((seat) => ({ ...seat, status: changed.get(seat.seatId) ?? seat.status })),
    });
  }

  forget(screeningId: string): void {
    this.#maps.delete(screeningId);
    this.#holds.delete(screeningId);
  }

  holdsOf(screeningId: string, memberId: string): HoldView[] {
    const now = Date.now();
    return Object.entries(this.#holds.get(screeningId) ?? {})
      .filter(([, hold]) => hold.memberId === memberId && isLive(hold, now))
      .map(([holdToken, hold]) => ({
        holdToken,
        screeningId,
        seatIds: [...hold.seatIds],
        expiresAt: new Date(hold.expiresAt).toISOString(),
      }));
  }

  async map(db: Database, screeningId: string, paymentTimeoutMs: number): Promise<SeatResult<SeatMap>> {
    const last = this.#maps.get(screeningId);
    if (last) return { ok: true, value: last };
    const image = await loadScreeningImage(db, screeningId, paymentTimeoutMs);
    if (!image) return NOT_FOUND;
    return { ok: true, value: seatMapOf(image.layout, image.state) };
  }
}
