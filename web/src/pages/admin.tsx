// The admin's day: every screening with its sold, held and free seats, and the reservations; a link
// to the sales dashboard.
import { useState } from 'preact/hooks';
import { countSeats } from '../../../src/domain/seats/seat-counts.ts';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import type { AdminReservation, Page as List, SeatMap } from '../api/types.ts';
import { DataTable } from '../components/data-table.tsx';
import { DayPicker } from '../components/day-picker.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { cinemaDate, formatTime, formatWhen, formatWon, seatName } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';
import { loadCatalog, screeningsOf } from './screenings.tsx';

/** Shown instead of an admin view to anyone who is not an admin. */
export function AdminOnly(props: { path: string }) {
  const session = useSession();
  return (
    <Page title="Admin">
      {session ? (
        <Alert message={plainMessage(new ApiError(403, 'FORBIDDEN'))} />
      ) : (
        <p>
          <Link href={`/login?next=${encodeURIComponent(props.path)}`}>Log in</Link> as an administrator to
          see this page.
        </p>
      )}
    </Page>
  );
}

export function AdminPage(props: { query: URLSearchParams }) {
  const date = props.query.get('date') ?? cinemaDate();
  const day = useLoad(async () => {
    const [catalog, screenings] = await Promise.all([loadCatalog(), screeningsOf(date)]);
    const maps = await Promise.all(
      screenings.map((screening) => api<SeatMap>(`/api/screenings/${screening.id}/seats`)),
    );
    return screenings.map((screening, index) => ({
      screening,
      movie: catalog.movies.get(screening.movieId)?.title ?? 'A movie',
      screen: catalog.screens.get(screening.screenId),
      counts: countSeats(maps[index]?.seats ?? []),
    }));
  }, [date]);

  return (
    <Page title="Admin" wide>
      <p>
        <Link href="/admin/dashboard">Sales dashboard</Link>: revenue, refunds, occupancy and top movies over
        any range of days.
      </p>
      <section aria-labelledby="day-title">
        <h2 id="day-title">Screenings of the day</h2>
        <DayPicker date={date} onChange={(next) => navigate(`/admin?date=${next}`, { replace: true })} />
        <Alert message={day.error ? plainMessage(day.error) : ''} />
        {day.loading ? (
          <Loading what="screenings" />
        ) : day.data?.length === 0 ? (
          <p>No screenings on this day.</p>
        ) : (
          <DataTable
            caption="Screenings with their seat counts"
            columns={['Starts', 'Movie', 'Hall', 'Sold', 'Held', 'Free', 'Blocked', 'Seats']}
          >
            {day.data?.map(({ screening, movie, screen, counts }) => (
              <tr key={screening.id}>
                <td>{formatTime(screening.startTime)}</td>
                <td>{movie}</td>
                <td>{screen ? `${screen.theater}, ${screen.name}` : ''}</td>
                <td>{counts.sold}</td>
                <td>{counts.held}</td>
                <td>{counts.free}</td>
                <td>{counts.blocked}</td>
                <td>
                  <Link
                    href={`/admin/screenings/${screening.id}`}
                    aria-label={`Manage seats of ${movie} at ${formatTime(screening.startTime)}`}
                  >
                    Manage seats
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <AdminReservations />
    </Page>
  );
}

/** Every reservation (or one screening's), newest first, with a status filter and paging. */
export function AdminReservations(props: { screeningId?: string }) {
  const [status, setStatus] = useState('');
  const [rows, setRows] = useState<AdminReservation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const query = (after?: string | null) => {
    const params = new URLSearchParams({ limit: '20' });
    if (props.screeningId) params.set('screeningId', props.screeningId);
    if (status) params.set('status', status);
    if (after) params.set('cursor', after);
    return `/api/admin/reservations?${params}`;
  };
  const first = useLoad(async () => {
    const page = await api<List<AdminReservation>>(query(), { auth: true });
    setRows(page.items);
    setCursor(page.nextCursor);
    return page;
  }, [props.screeningId, status]);
  const more = async () => {
    try {
      const page = await api<List<AdminReservation>>(query(cursor), { auth: true });
      setRows((current) => [...current, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(plainMessage(failure));
    }
  };
  const failure = error || (first.error ? plainMessage(first.error) : '');

  return (
    <section aria-labelledby="reservations-title">
      <h2 id="reservations-title">Reservations</h2>
      <div class="field inline">
        <label for="reservation-status">Status</label>
        <select
          id="reservation-status"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
        >
          <option value="">All</option>
          <option value="CONFIRMED">Confirmed</option>
          <option value="CANCELLED">Cancelled</option>
        </select>
      </div>
      <Alert message={failure} />
      {first.loading ? (
        <Loading what="reservations" />
      ) : rows.length === 0 ? (
        <p>No reservations yet.</p>
      ) : (
        <DataTable
          caption="Reservations, newest first"
          columns={['Number', 'Bought by', 'Movie', 'Starts', 'Seats', 'Total', 'Status']}
          testId="admin-reservations"
        >
          {rows.map((reservation) => (
            <tr key={reservation.reservationNo}>
              <td>{reservation.reservationNo}</td>
              <td>{reservation.buyerLoginId}</td>
              <td>{reservation.movieTitle}</td>
              <td>{formatWhen(reservation.startTime)}</td>
              <td>{reservation.seats.map(seatName).join('; ')}</td>
              <td>{formatWon(reservation.totalAmount)}</td>
              <td>{reservation.status === 'CONFIRMED' ? 'Confirmed' : 'Cancelled'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {cursor && (
        <button type="button" onClick={more}>
          Show more reservations
        </button>
      )}
    </section>
  );
}
