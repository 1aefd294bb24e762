// The live seat map over a hono WebSocket helper (Node and Deno), fed by a coordinator's change
// feed. Subscribes before reading the snapshot, so no batch falls between the two: batches that
// arrive first are held back and sent after it if newer. When the feed may have missed batches
// (its store reconnected or was rebuilt), the client gets a fresh snapshot.
import type { WSContext, WSEvents } from 'hono/ws';
import type { SeatBatch } from '../ports/seat-coordinator.ts';
import type { SeatFeed } from '../ports/seat-feed.ts';

export function liveSeatEvents(feed: SeatFeed, screeningId: string): WSEvents {
  let unsubscribe: (() => void | Promise<void>) | undefined;
  let closed = false;
  /** The version the client has; undefined while a snapshot is being read. */
  let sentVersion: number | undefined;
  let early: SeatBatch[] = [];
  let socket: WSContext | undefined;

  const send = (batch: SeatBatch) => {
    if (sentVersion === undefined) early.push(batch);
    else if (batch.version > sentVersion) {
      sentVersion = batch.version;
      trySend(socket, JSON.stringify(batch));
    }
  };
  const sendSnapshot = async () => {
    sentVersion = undefined;
    early = [];
    const snapshot = await feed.liveSnapshot(screeningId);
    trySend(socket, JSON.stringify(snapshot));
    sentVersion = snapshot.version;
    for (const batch of early.splice(0)) send(batch);
  };

  return {
    async onOpen(_event, ws) {
      socket = ws;
      try {
        unsubscribe = await feed.subscribe(screeningId, {
          batch: send,
          resync: () => void sendSnapshot().catch(() => ws.close(1011, 'seat map unavailable')),
        });
        if (closed) return void (await unsubscribe());
        await sendSnapshot();
      } catch {
        ws.close(1011, 'seat map unavailable');
      }
    },
    onMessage(event, ws) {
      // Nothing a client sends changes state; a ping gets a pong.
      if (typeof event.data !== 'string' || event.data.length > 256) return;
      try {
        if ((JSON.parse(event.data) as { type?: unknown }).type === 'ping') trySend(ws, '{"type":"pong"}');
      } catch {
        // not JSON: ignored
      }
    },
    async onClose() {
      closed = true;
      await unsubscribe?.();
    },
  };
}

function trySend(ws: WSContext | undefined, data: string): void {
  try {
    ws?.send(data);
  } catch {
    // closing; onClose unsubscribes
  }
}
