// The waiting room of a sale: join, then a position and progress view that asks again when the API
// says (pollAfterSeconds) and survives a reload (the ticket is kept on this device), then straight
// into the seat map with the admission. Shown in place of the seat map while the screening has a
// room and this device holds no live admission (QueueGate).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import type { QueueTicket, ScreeningDetail } from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Alert, Page } from '../components/page.tsx';
import { formatWhen, plural, zoneInWords } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { keepTicket, keptTicket, liveAdmission } from '../queue/admission.ts';
import { Link } from '../router.ts';

/** The seat map, once this device has a live admission (or the sale has no waiting room). */
export function QueueGate(props: { id: string; children: ComponentChildren }) {
  const { id } = props;
  const detail = useLoad(() => api<ScreeningDetail>(`/api/screenings/${encodeURIComponent(id)}`), [id]);
  const [admitted, setAdmitted] = useState(() => Boolean(liveAdmission(id)));
  if (!detail.data?.waitingRoom || admitted) return <>{props.children}</>;
  return <WaitingRoomPage screening={detail.data} onAdmitted={() => setAdmitted(true)} />;
}

const queuePath = (id: string) => `/api/screenings/${encodeURIComponent(id)}/queue`;

function waitInWords(seconds: number): string {
  if (seconds < 60) return `less than a minute`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60
    ? `about ${plural(minutes, 'minute')}`
    : `about ${plural(Math.round(minutes / 60), 'hour')}`;
}

export function WaitingRoomPage(props: { screening: ScreeningDetail; onAdmitted: () => void }) {
  const { screening, onAdmitted } = props;
  const id = screening.id;
  const session = useSession();
  const [ticket, setTicket] = useState<QueueTicket>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const take = (next: QueueTicket) => {
    keepTicket(id, next);
    setTicket(next);
    if (next.status === 'ADMITTED') {
      announce('It is your turn. Choose your seats now.');
      onAdmitted();
    }
  };

  // A ticket kept on this device (a reload, another tab): pick it up where it was.
  useEffect(() => {
    const kept = keptTicket(id);
    if (!session || !kept) return;
    api<QueueTicket>(`${queuePath(id)}/${encodeURIComponent(kept.ticketId)}`, { auth: true }).then(take, () =>
      setTicket(undefined),
    );
  }, [id, session?.me.id]);

  // Ask again when the API says to.
  useEffect(() => {
    if (ticket?.status !== 'WAITING') return;
    const timer = setTimeout(
      () =>
        api<QueueTicket>(`${queuePath(id)}/${encodeURIComponent(ticket.ticketId)}`, { auth: true }).then(
          take,
          (failure: unknown) => setError(plainMessage(failure, 'load')),
        ),
      (ticket.pollAfterSeconds ?? 5) * 1000,
    );
    return () => clearTimeout(timer);
  }, [ticket]);

  const join = async () => {
    setBusy(true);
    setError('');
    try {
      take(await api<QueueTicket>(queuePath(id), { method: 'POST', auth: true }));
      announce('You are in the queue.');
    } catch (failure) {
      setError(plainMessage(failure, 'load'));
    } finally {
      setBusy(false);
    }
  };

  const opens = `${formatWhen(screening.salesOpenAt)}, ${zoneInWords(new Date(screening.salesOpenAt))}`;
  const first = keptTicket(id)?.firstPosition;
  return (
    <Page title={`Queue: ${screening.movie.title}`}>
      <Alert message={error} />
      <p>
        This sale has a waiting room. Everyone who joins before sales open ({opens}) gets a place in one
        random draw at the opening; after that, people are let in in the order they join.
      </p>
      {!session ? (
        <p>
          <Link href={`/login?next=${encodeURIComponent(`/screenings/${id}`)}`}>Log in</Link> to join the
          queue.
        </p>
      ) : !ticket ? (
        <button type="button" class="primary" disabled={busy} onClick={join}>
          {busy ? 'Joining…' : 'Join the queue'}
        </button>
      ) : (
        <section aria-labelledby="queue-status-title">
          <h2 id="queue-status-title">Your place</h2>
          <p role="status" data-testid="queue-status">
            {ticket.status === 'WAITING'
              ? ticket.position == null
                ? `You are in. Places are drawn when sales open; expect to wait ${waitInWords(ticket.estimatedWaitSeconds ?? 0)}.`
                : `You are number ${ticket.position} in the queue: ${waitInWords(ticket.estimatedWaitSeconds ?? 0)} to go.`
              : ticket.status === 'EXPIRED'
                ? 'Your turn has ended. Thank you for waiting.'
                : 'It is your turn.'}
          </p>
          {ticket.status === 'WAITING' && typeof ticket.position === 'number' && first ? (
            <progress
              aria-label="Progress through the queue"
              max={first}
              value={Math.max(0, first - ticket.position)}
            />
          ) : null}
        </section>
      )}
    </Page>
  );
}
