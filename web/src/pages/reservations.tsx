// The person's seats on hold and reservations, newest first, with cancellation.
import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import type { CancelResult, Hold, Page as List, Reservation } from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { ReservationDetails } from '../components/reservation-details.tsx';
import { formatTime, formatWon, plural } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { Link } from '../router.ts';

export function ReservationsPage() {
  const session = useSession();
  const holds = useLoad(
    async () => (session ? (await api<{ items: Hold[] }>('/api/me/holds', { auth: true })).items : []),
    [session?.me.id],
  );
  const [pages, setPages] = useState<Reservation[]>([]);
  const first = useLoad(async () => {
    if (!session) return { items: [], nextCursor: null };
    const page = await api<List<Reservation>>('/api/reservations?limit=20', { auth: true });
    setPages(page.items);
    return page;
  }, [session?.me.id]);
  const [cursor, setCursor] = useState<string | null | undefined>();
  const [error, setError] = useState('');
  const next = cursor === undefined ? first.data?.nextCursor : cursor;

  const more = async () => {
    if (!next) return;
    try {
      const page = await api<List<Reservation>>(
        `/api/reservations?limit=20&cursor=${encodeURIComponent(next)}`,
        {
          auth: true,
        },
      );
      setPages((current) => [...current, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(plainMessage(failure));
    }
  };
  const cancelled = (reservationNo: string) =>
    setPages((current) =>
      current.map((item) => (item.reservationNo === reservationNo ? { ...item, status: 'CANCELLED' } : item)),
    );

  if (!session) {
    return (
      <Page title="My reservations">
        <p>
          <Link href="/login?next=%2Freservations">Log in</Link> to see your reservations.
        </p>
      </Page>
    );
  }
  const failure = first.error ?? holds.error;
  return (
    <Page title="My reservations">
      <Alert message={error || (failure ? plainMessage(failure) : '')} />
      {(holds.data?.length ?? 0) > 0 && (
        <section aria-labelledby="holds-title">
          <h2 id="holds-title">Seats on hold</h2>
          <ul class="cards">
            {holds.data?.map((hold) => (
              <li class="card" key={hold.holdToken}>
                {plural(hold.seatIds.length, 'seat')} held until {formatTime(hold.expiresAt)}.{' '}
                <Link
                  href={`/checkout/${encodeURIComponent(hold.screeningId)}/${encodeURIComponent(hold.holdToken)}`}
                >
                  Continue to payment
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="reservations-title">
        <h2 id="reservations-title">Reservations</h2>
        {first.loading && <Loading what="your reservations" />}
        {!first.loading && pages.length === 0 && !failure && (
          <p>
            You have no reservations yet. <Link href="/">Find a screening</Link>
          </p>
        )}
        <ul class="cards">
          {pages.map((reservation) => (
            <ReservationItem
              key={reservation.reservationNo}
              reservation={reservation}
              onCancelled={cancelled}
            />
          ))}
        </ul>
        {next && (
          <button type="button" onClick={more}>
            Show older reservations
          </button>
        )}
      </section>
    </Page>
  );
}

function ReservationItem(props: { reservation: Reservation; onCancelled: (reservationNo: string) => void }) {
  const { reservation } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const upcoming = Date.parse(reservation.startTime) > Date.now();

  const cancel = async () => {
    setBusy(true);
    setError('');
    try {
      const result = await api<CancelResult>(
        `/api/reservations/${encodeURIComponent(reservation.reservationNo)}/cancel`,
        { method: 'POST', auth: true },
      );
      const refund =
        result.refund.status === 'REFUNDED'
          ? `${formatWon(result.refund.amount)} refunded.`
          : `Your refund of ${formatWon(result.refund.amount)} is on its way.`;
      const text = `Reservation ${reservation.reservationNo} is cancelled. ${refund}`;
      setMessage(text);
      announce(text);
      props.onCancelled(reservation.reservationNo);
    } catch (failure) {
      setError(plainMessage(failure, 'cancel'));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const titleId = `reservation-${reservation.reservationNo}`;
  return (
    <li class="card">
      <h3 id={titleId}>
        <Link href={`/reservations/${encodeURIComponent(reservation.reservationNo)}`}>
          {reservation.reservationNo}
        </Link>
      </h3>
      <ReservationDetails reservation={reservation} />
      {message && <p class="success">{message}</p>}
      <Alert message={error} />
      {reservation.status === 'CONFIRMED' &&
        upcoming &&
        (confirming ? (
          <div class="confirm">
            <p>Cancel this reservation? You get {formatWon(reservation.totalAmount)} back.</p>
            <button type="button" class="danger" disabled={busy} onClick={cancel}>
              {busy ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Cancel reservation
          </button>
        ))}
    </li>
  );
}
