// The Redis coordinator's change feed: every committed batch is PUBLISHed by the commit script on
// the screening's channel; one subscriber connection per process fans them out to its live seat
// maps. A subscription is live before `subscribe` resolves, so a snapshot read after it misses
// nothing; after a reconnect the watchers are told to re-read (batches may have been missed).

import type { SeatBatch } from '../../ports/seat-coordinator.ts';
import type { SeatFeedListener } from '../../ports/seat-feed.ts';
import type { RedisClient } from './redis-client.ts';
import { changesChannel } from './screening-store.ts';

interface Channel {
  listeners: Set<SeatFeedListener>;
  ready: Promise<unknown>;
}

export class ChangeFeed {
  readonly #subscriber: RedisClient;
  readonly #onBatch: (screeningId: string, batch: SeatBatch) => void;
  readonly #channels = new Map<string, Channel>();
  #connectedOnce = false;

  /** `subscriber` is a connection of its own (a subscribed connection takes no other commands). */
  constructor(subscriber: RedisClient, onBatch: (screeningId: string, batch: SeatBatch) => void) {
    this.#subscriber = subscriber;
    this.#onBatch = onBatch;
    subscriber.on('ready', () => {
      if (this.#connectedOnce) this.resync();
      this.#connectedOnce = true;
    });
  }

  /** Screenings someone watches in this process. */
  watched(): string[] {
    return [...this.#channels.keys()];
  }

  async subscribe(screeningId: string, listener: SeatFeedListener): Promise<() => Promise<void>> {
    let channel = this.#channels.get(screeningId);
    if (!channel) {
      const ready = this.#subscriber.subscribe(changesChannel(screeningId), (message) =>
        this.#deliver(screeningId, message),
      );
      const created: Channel = { listeners: new Set(), ready };
      ready.catch(() => {
        if (this.#channels.get(screeningId) === created) this.#channels.delete(screeningId);
      });
      this.#channels.set(screeningId, created);
      channel = created;
    }
    const current = channel;
    await current.ready;
    current.listeners.add(listener);
    return async () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.#channels.get(screeningId) !== current) return;
      this.#channels.delete(screeningId);
      await this.#subscriber.unsubscribe(changesChannel(screeningId)).catch(() => undefined);
    };
  }

  /** Every watcher re-reads its snapshot. */
  resync(): void {
    for (const { listeners } of this.#channels.values()) for (const listener of listeners) listener.resync();
  }

  #deliver(screeningId: string, message: string): void {
    const batch = JSON.parse(message) as SeatBatch;
    this.#onBatch(screeningId, batch);
    for (const listener of this.#channels.get(screeningId)?.listeners ?? []) listener.batch(batch, message);
  }
}
