// The admin's view of a screening's waiting room: how many wait and how many were let in, and the
// room's settings (add it, change the rate while the sale runs, remove it).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { QueueCounts, ScreeningDetail } from '../api/types.ts';
import { plainMessage } from '../messages.ts';
import { announce } from './announcer.tsx';
import { Field } from './field.tsx';
import { Alert } from './page.tsx';

const COUNTS_EVERY_MS = 5_000;

export function WaitingRoomPanel(props: { screening: ScreeningDetail | undefined; onChange: () => void }) {
  const { screening, onChange } = props;
  const room = screening?.waitingRoom ?? null;
  const [counts, setCounts] = useState<QueueCounts>();
  const [rate, setRate] = useState('');
  const [opensBefore, setOpensBefore] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setRate(String(room?.admitPerMinute ?? 600));
    setOpensBefore(String(room?.opensBeforeMinutes ?? 30));
  }, [room?.admitPerMinute, room?.opensBeforeMinutes]);

  useEffect(() => {
    if (!screening || !room) return setCounts(undefined);
    const load = () =>
      api<QueueCounts>(`/api/admin/screenings/${encodeURIComponent(screening.id)}/queue`, {
        auth: true,
      }).then(setCounts, () => {});
    load();
    const timer = setInterval(load, COUNTS_EVERY_MS);
    return () => clearInterval(timer);
  }, [screening?.id, room?.admitPerMinute]);

  const save = async (waitingRoom: { admitPerMinute: number; opensBeforeMinutes: number } | null) => {
    if (!screening) return;
    setBusy(true);
    setError('');
    try {
      await api(`/api/admin/screenings/${encodeURIComponent(screening.id)}`, {
        method: 'PATCH',
        auth: true,
        body: { waitingRoom },
      });
      announce(
        waitingRoom ? `Waiting room set to ${waitingRoom.admitPerMinute} a minute.` : 'Waiting room removed.',
      );
      onChange();
    } catch (failure) {
      setError(plainMessage(failure, 'load'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="waiting-room" aria-labelledby="waiting-room-title">
      <h2 id="waiting-room-title">Waiting room</h2>
      <Alert message={error} />
      {room ? (
        <p data-testid="queue-counts">
          {counts
            ? `Waiting ${counts.waiting} · Admitted ${counts.admitted} · ${counts.admitPerMinute} a minute`
            : `Admits ${room.admitPerMinute} a minute; nobody has joined yet.`}
        </p>
      ) : (
        <p>This sale has no waiting room: everyone goes straight to the seat map.</p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save({ admitPerMinute: Number(rate), opensBeforeMinutes: Number(opensBefore) });
        }}
      >
        <Field
          id="admit-per-minute"
          label="People let in a minute (1 to 100,000)"
          type="number"
          value={rate}
          onInput={(event) => setRate(event.currentTarget.value)}
        />
        <Field
          id="opens-before"
          label="Queue opens this many minutes before sales"
          type="number"
          value={opensBefore}
          onInput={(event) => setOpensBefore(event.currentTarget.value)}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {room ? 'Change the waiting room' : 'Add a waiting room'}
          </button>
          {room ? (
            <button type="button" disabled={busy} onClick={() => save(null)}>
              Remove the waiting room
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
