// The live seat map's bookkeeping, kept pure so it can be tested without a socket: a snapshot sets
// every status at a version; each batch must be exactly the next version. A batch that skips one
// means something was missed, so the page re-reads the snapshot and replays what arrived meanwhile.
import type { SeatChange, SeatStatus } from '../api/types.ts';

export interface SeatBatch {
  version: number;
  changes: SeatChange[];
}

export interface LiveSeats {
  version: number;
  statuses: Readonly<Record<string, SeatStatus>>;
  /** A re-read of the snapshot is on its way; batches wait in `pending` until it lands. */
  resyncing: boolean;
  pending: SeatBatch[];
}

export interface Step {
  state: LiveSeats;
  /** True when the caller must fetch a fresh snapshot and hand it to `resynced`. */
  resync: boolean;
}

export function fromSnapshot(version: number, seats: readonly SeatChange[]): LiveSeats {
  const statuses: Record<string, SeatStatus> = {};
  for (const seat of seats) statuses[seat.seatId] = seat.status;
  return { version, statuses, resyncing: false, pending: [] };
}

export function receive(state: LiveSeats, batch: SeatBatch): Step {
  if (state.resyncing) return { state: { ...state, pending: [...state.pending, batch] }, resync: false };
  if (batch.version <= state.version) return { state, resync: false }; // already seen
  if (batch.version === state.version + 1) return { state: apply(state, batch), resync: false };
  return { state: { ...state, resyncing: true, pending: [batch] }, resync: true };
}

/** Takes a freshly read snapshot, then replays the batches that came after it. */
export function resynced(
  state: LiveSeats,
  snapshot: { version: number; seats: readonly SeatChange[] },
): Step {
  let next =
    snapshot.version >= state.version
      ? fromSnapshot(snapshot.version, snapshot.seats)
      : { ...state, resyncing: false, pending: [] };
  const waiting = [...state.pending].sort((a, b) => a.version - b.version);
  for (const [index, batch] of waiting.entries()) {
    if (batch.version <= next.version) continue;
    if (batch.version !== next.version + 1) {
      return { state: { ...next, resyncing: true, pending: waiting.slice(index) }, resync: true };
    }
    next = apply(next, batch);
  }
  return { state: next, resync: false };
}

function apply(state: LiveSeats, batch: SeatBatch): LiveSeats {
  const statuses = { ...state.statuses };
  for (const change of batch.changes) statuses[change.seatId] = change.status;
  return { ...state, version: batch.version, statuses };
}

/** Milliseconds before reconnect attempt `attempt` (0-based): doubling from 0.5 s to 15 s, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
