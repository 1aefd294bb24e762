// The live seat-map socket (GET /api/screenings/:id/live): a snapshot, then versioned batches. It
// pings so a silently dead connection is noticed, and reconnects with growing delays, telling the
// page at each step so the person can see whether the map is live.
import type { SeatChange } from '../api/types.ts';
import { reconnectDelay, type SeatBatch } from './seat-state.ts';

export type Connection =
  | { kind: 'connecting' }
  | { kind: 'live'; recovered: boolean }
  | { kind: 'lost'; retryInMs: number; attempt: number };

export interface LiveListener {
  snapshot(version: number, seats: SeatChange[]): void;
  batch(batch: SeatBatch): void;
  connection(state: Connection): void;
}

const PING_MS = 15_000;

/** Opens the socket; the returned function closes it for good. */
export function openLiveSeats(screeningId: string, listener: LiveListener): () => void {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/api/screenings/${encodeURIComponent(screeningId)}/live`;
  let socket: WebSocket | undefined;
  let attempt = 0;
  let everLive = false;
  let stopped = false;
  let lastHeard = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      lastHeard = Date.now();
      pingTimer = setInterval(() => {
        if (Date.now() - lastHeard > 2.5 * PING_MS)
          lost(ws); // no pong: the connection is dead
        else ws.send('{"type":"ping"}');
      }, PING_MS);
    };
    ws.onmessage = (event) => {
      lastHeard = Date.now();
      const message = parse(event.data);
      if (message?.type === 'snapshot' && Array.isArray(message.seats)) {
        attempt = 0;
        listener.snapshot(Number(message.version), message.seats as SeatChange[]);
        listener.connection({ kind: 'live', recovered: everLive });
        everLive = true;
      } else if (message?.type === 'seats' && Array.isArray(message.changes)) {
        listener.batch({ version: Number(message.version), changes: message.changes as SeatChange[] });
      }
    };
    ws.onclose = () => lost(ws);
  };

  const lost = (ws: WebSocket) => {
    if (stopped || socket !== ws) return; // already handled, or closed on purpose
    socket = undefined;
    clearInterval(pingTimer);
    ws.onclose = null;
    ws.close();
    const retryInMs = reconnectDelay(attempt);
    attempt += 1;
    listener.connection({ kind: 'lost', retryInMs, attempt });
    retryTimer = setTimeout(connect, retryInMs);
  };

  listener.connection({ kind: 'connecting' });
  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    socket?.close();
  };
}

function parse(data: unknown): Record<string, unknown> | undefined {
  try {
    const value = typeof data === 'string' ? JSON.parse(data) : undefined;
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
