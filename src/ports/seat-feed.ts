// The live seat map's port on Deno/Node: a coordinator that publishes its committed batches (the
// Redis adapter) offers them here, and the HTTP layer's WebSocket handler (http/live-socket.ts)
// turns them into messages. Workers need none of it: the Durable Object holds its own sockets.
import type { SeatBatch } from './seat-coordinator.ts';

export interface SeatFeedListener {
  /** A committed batch, and the message as published (sent as it is, serialized once for every socket). */
  batch(batch: SeatBatch, message: string): void;
  /** Batches may have been lost: send the snapshot again. */
  resync(): void;
}

export interface SeatFeed {
  /** Resolves once the subscription is live; the result unsubscribes. */
  subscribe(screeningId: string, listener: SeatFeedListener): Promise<() => void | Promise<void>>;
  liveSnapshot(screeningId: string): Promise<{ type: 'snapshot'; version: number; seats: unknown[] }>;
}
