// The live seat map over a hono WebSocket helper (Node and Deno), fed by a coordinator's change
// feed. Subscribes before reading the snapshot, so no batch falls between the two: batches that
// arrive first are held back and sent after it if newer. When the feed may have missed batches
// (its store reconnected or was rebuilt), the client gets a fresh snapshot. A client address holds
// at most its share of a screening's sockets in this process, and a big message closes the socket.
import type { WSContext, WSEvents } from 'hono/ws';
import { AppError } from '../domain/errors.ts';
import { LIVE_MESSAGE_MAX_BYTES, type SeatBatch } from '../ports/seat-coordinator.ts';
import type { SeatFeed } from '../ports/seat-feed.ts';

/** One socket's place in a client address's share; taken when the socket opens, given back when it closes. */
export interface SocketSlot {
  take(): boolean;
  giveBack(): void;
}

/** How soon a client refused a live socket may try again (another of its sockets must close first). */
const RETRY_SECONDS = 10;

/** Live sockets per client address per screening, in this process (LIVE_SOCKETS_PER_IP_PER_SCREENING). */
export class LiveSocketShares {
  readonly #open = new Map<string, number>();
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** A slot for one more socket; 429 RATE_LIMITED at once when the address has its share already. */
  slot(screeningId: string, clientIp: string): SocketSlot {
    const key = `${screeningId} ${clientIp}`;
    const full = () => (this.#open.get(key) ?? 0) >= this.#cap;
    if (full()) {
      throw new AppError('RATE_LIMITED', 'too many live seat maps open from this address', {
        retryAfter: RETRY_SECONDS,
      });
    }
    let taken = false;
    return {
      // Checked again on open: upgrades sent at once all passed the check above.
      take: () => {
        if (full()) return false;
        this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
        taken = true;
        return true;
      },
      giveBack: () => {
        if (!taken) return;
        taken = false;
        const left = (this.#open.get(key) ?? 1) - 1;
        if (left > 0) this.#open.set(key, left);
        else this.#open.delete(key);
      },
    };
  }
}

export function liveSeatEvents(feed: SeatFeed, screeningId: string, slot?: SocketSlot): WSEvents {
  let unsubscribe: (() => void | Promise<void>) | undefined;
  let closed = false;
  /** The version the client has; undefined while a snapshot is being read. */
  let sentVersion: number | undefined;
  let early: [SeatBatch, string][] = [];
  let socket: WSContext | undefined;

  const send = (batch: SeatBatch, message: string) => {
    if (sentVersion === undefined) early.push([batch, message]);
    else if (batch.version > sentVersion) {
      sentVersion = batch.version;
      trySend(socket, message); // as published: serialized once, not per socket
    }
  };
  const sendSnapshot = async () => {
    sentVersion = undefined;
    early = [];
    const snapshot = await feed.liveSnapshot(screeningId);
    trySend(socket, JSON.stringify(snapshot));
    sentVersion = snapshot.version;
    for (const [batch, message] of early.splice(0)) send(batch, message);
  };

  return {
    async onOpen(_event, ws) {
      socket = ws;
      if (slot && !slot.take()) {
        ws.close(1008, 'too many live seat maps open from this address');
        return;
      }
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
      // Nothing a client sends changes state; a ping gets a pong, a big message ends the socket.
      const { data } = event;
      const size =
        typeof data === 'string' ? data.length : data instanceof Blob ? data.size : data.byteLength;
      if (size > LIVE_MESSAGE_MAX_BYTES) {
        ws.close(1009, 'message too big');
        return;
      }
      if (typeof event.data !== 'string') return;
      try {
        if ((JSON.parse(event.data) as { type?: unknown }).type === 'ping') trySend(ws, '{"type":"pong"}');
      } catch {
        // not JSON: ignored
      }
    },
    async onClose() {
      closed = true;
      slot?.giveBack();
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
