// A screening's seats, kept live: the layout and prices come from GET .../seats, the statuses from
// the socket. A version gap re-reads GET .../seats (and replays what arrived meanwhile).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Seat, SeatMap } from '../api/types.ts';
import { type Connection, openLiveSeats } from './live-socket.ts';
import { fromSnapshot, type LiveSeats, receive, resynced } from './seat-state.ts';

export interface LiveSeatMap {
  seats: Seat[] | undefined;
  error: unknown;
  connection: Connection;
  /** Re-read the snapshot now, e.g. after the API said a seat was taken. */
  refresh: () => void;
}

const RETRY_MS = 2_000;

export function useLiveSeats(screeningId: string): LiveSeatMap {
  const [layout, setLayout] = useState<Seat[]>();
  const [live, setLive] = useState<LiveSeats>();
  const [connection, setConnection] = useState<Connection>({ kind: 'connecting' });
  const [error, setError] = useState<unknown>();
  const refresh = useRef(() => {});

  useEffect(() => {
    let closed = false;
    let current: LiveSeats | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const update = (next: LiveSeats) => {
      current = next;
      setLive(next);
    };
    const read = () => api<SeatMap>(`/api/screenings/${encodeURIComponent(screeningId)}/seats`);
    const resync = async () => {
      clearTimeout(retryTimer);
      try {
        const map = await read();
        if (closed) return;
        setLayout(map.seats);
        const step = resynced(current ?? fromSnapshot(-1, []), map);
        update(step.state);
        if (step.resync) void resync();
      } catch {
        if (!closed) retryTimer = setTimeout(resync, RETRY_MS); // the socket keeps the map live meanwhile
      }
    };
    refresh.current = () => void resync();

    read().then(
      (map) => {
        if (closed) return;
        setLayout(map.seats);
        if (!current || map.version > current.version) update(fromSnapshot(map.version, map.seats));
      },
      (failure: unknown) => !closed && setError(failure),
    );
    const close = openLiveSeats(screeningId, {
      snapshot: (version, seats) => update(fromSnapshot(version, seats)),
      batch: (batch) => {
        if (!current) return;
        const step = receive(current, batch);
        update(step.state);
        if (step.resync) void resync();
      },
      connection: setConnection,
    });
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      close();
    };
  }, [screeningId]);

  const seats = useMemo(
    () => layout?.map((seat) => ({ ...seat, status: live?.statuses[seat.seatId] ?? seat.status })),
    [layout, live],
  );
  return { seats, error, connection, refresh: () => refresh.current() };
}
