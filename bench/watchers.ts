// Clients watching the live seat map (`ws`): each keeps the map it was sent (snapshot, then batches
// applied in version order) and stamps when every version reached it, for the live-update lag.
// Every watcher is sent the same batches, so what each version changed is kept once for all of them
// and a watcher keeps only its arrival times, by version: with thousands of watchers the load
// generator must not spend on bookkeeping the CPU the server under test needs (the sale's watchers
// share the machine with it). A version gap is counted, never papered over; a fresh snapshot
// mid-run (the Redis runtime sends one after a reconnect) replaces the map and ends that watcher's
// lag samples.
import WebSocket from 'ws';
import type { CausedChange } from './flow.ts';

interface SeatChange {
  seatId: string;
  status: string;
}

interface LiveMessage {
  type: string;
  version: number;
  seats?: SeatChange[];
  changes?: SeatChange[];
  /** When the server committed the batch (epoch ms). */
  committedAt?: number;
}

class Watcher {
  readonly map = new Map<string, string>();
  version = -1;
  gaps = 0;
  resyncs = 0;
  /** The version of the first snapshot: `arrivals[i]` is when version `since + 1 + i` arrived. */
  since = -1;
  readonly arrivals: number[] = [];
  /** Per batch received: arrival (epoch ms) − the server's commit time, same machine, same clock. */
  readonly sinceCommit: number[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;

  /** `batches`: what each version changed, as the first watcher to get it was told (shared). */
  constructor(url: string, batches: Map<number, SeatChange[]>) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.on('message', (data) => {
        const at = performance.now();
        const message = JSON.parse(data.toString()) as LiveMessage;
        if (message.type === 'snapshot') {
          if (this.version >= 0) this.resyncs++;
          else this.since = message.version;
          this.map.clear();
          for (const seat of message.seats ?? []) this.map.set(seat.seatId, seat.status);
          this.version = message.version;
          resolve();
        } else if (message.type === 'seats') {
          if (message.version !== this.version + 1) this.gaps++;
          if (message.committedAt !== undefined) this.sinceCommit.push(Date.now() - message.committedAt);
          this.version = message.version;
          const changes = message.changes ?? [];
          if (!batches.has(message.version)) batches.set(message.version, changes);
          if (message.version > this.since) this.arrivals[message.version - this.since - 1] = at;
          for (const change of changes) this.map.set(change.seatId, change.status);
        }
      });
    });
  }

  /** When `version` reached this watcher, if it did. */
  arrivalOf(version: number): number | undefined {
    return version > this.since ? this.arrivals[version - this.since - 1] : undefined;
  }
}

/** Appends `value` to the list `map` keeps under `key`. */
function addTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface WatcherCheck {
  watchers: number;
  gaps: number;
  resyncs: number;
  /** Watchers whose final map differs from the real one (or who never caught up with its version). */
  mismatched: number;
}

export class Watchers {
  readonly #watchers: Watcher[] = [];
  /** What each version changed, kept once for every watcher. */
  readonly #batches = new Map<number, SeatChange[]>();

  /** Opens `count` sockets, a batch at a time, and waits for each one's snapshot. */
  static async open(url: string, count: number): Promise<Watchers> {
    const watchers = new Watchers();
    for (let opened = 0; opened < count; opened += 50) {
      const batch = Array.from(
        { length: Math.min(50, count - opened) },
        () => new Watcher(url, watchers.#batches),
      );
      watchers.#watchers.push(...batch);
      await Promise.all(batch.map((watcher) => watcher.opened));
    }
    return watchers;
  }

  /**
   * How late each change a VU caused and saw confirmed reached the watchers, matched per seat,
   * status and occurrence. The commit happened after the VU sent its request and before it read
   * the 201, so two clocks bound the lag: `afterAnswer` (arrival − 201 read; negative when the push
   * overtook the HTTP answer) and `afterRequest` (arrival − request sent). `fanOut` is the spread of
   * one change's arrivals over all watchers (last − first). `afterCommit` needs no matching: every
   * batch carries the server's commit time (arrival − committedAt, one clock on one machine).
   */
  lag(caused: CausedChange[]): {
    afterCommit: number[];
    afterAnswer: number[];
    afterRequest: number[];
    fanOut: number[];
  } {
    const confirmed = new Map<string, CausedChange[]>();
    for (const change of [...caused].sort((a, b) => a.at - b.at))
      addTo(confirmed, `${change.seatId} ${change.status}`, change);
    const usable = this.#watchers.filter((watcher) => watcher.resyncs === 0);
    // The versions each seat and status occurred in, in order, since the watchers' first snapshot.
    const since = Math.min(...usable.map((watcher) => watcher.since));
    const occurrences = new Map<string, number[]>();
    for (const [version, changes] of [...this.#batches].sort(([a], [b]) => a - b)) {
      if (version <= since) continue;
      for (const change of changes) addTo(occurrences, `${change.seatId} ${change.status}`, version);
    }
    const lag = {
      afterCommit: usable.flatMap((watcher) => watcher.sinceCommit),
      afterAnswer: [] as number[],
      afterRequest: [] as number[],
      fanOut: [] as number[],
    };
    for (const [key, changes] of confirmed) {
      changes.forEach((change, index) => {
        const version = occurrences.get(key)?.[index];
        if (version === undefined) return;
        let first = Number.POSITIVE_INFINITY;
        let last = Number.NEGATIVE_INFINITY;
        for (const watcher of usable) {
          const arrived = watcher.arrivalOf(version);
          if (arrived === undefined) continue;
          lag.afterAnswer.push(arrived - change.at);
          lag.afterRequest.push(arrived - change.sent);
          first = Math.min(first, arrived);
          last = Math.max(last, arrived);
        }
        if (last >= first) lag.fanOut.push(last - first);
      });
    }
    return lag;
  }

  /** Waits (up to `timeoutMs`) for every watcher to reach `final`'s version, then compares maps. */
  async check(
    final: { version: number; seats: { seatId: string; status: string }[] },
    timeoutMs = 10_000,
  ): Promise<WatcherCheck> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && this.#watchers.some((watcher) => watcher.version < final.version))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const mismatched = this.#watchers.filter(
      (watcher) =>
        watcher.version !== final.version ||
        final.seats.some((seat) => watcher.map.get(seat.seatId) !== seat.status),
    ).length;
    return {
      watchers: this.#watchers.length,
      gaps: this.#watchers.reduce((sum, watcher) => sum + watcher.gaps, 0),
      resyncs: this.#watchers.reduce((sum, watcher) => sum + watcher.resyncs, 0),
      mismatched,
    };
  }

  close(): void {
    for (const watcher of this.#watchers) watcher.socket.terminate();
  }
}
