// A reservation: straight after paying (the confirmation, with its number) or opened later.
import { api } from '../api/client.ts';
import type { Reservation } from '../api/types.ts';
import { Alert, Loading, Page } from '../components/page.tsx';
import { ReservationDetails } from '../components/reservation-details.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { knownReservation } from '../memory.ts';
import { plainMessage } from '../messages.ts';
import { Link } from '../router.ts';

export function ReservationPage(props: { reservationNo: string; confirmed: boolean }) {
  const { reservationNo } = props;
  const data = useLoad(
    async () =>
      knownReservation(reservationNo) ??
      api<Reservation>(`/api/reservations/${encodeURIComponent(reservationNo)}`, { auth: true }),
    [reservationNo],
  );
  const reservation = data.data;
  return (
    <Page title={props.confirmed ? 'Booking confirmed' : 'Your reservation'}>
      <Alert message={data.error ? plainMessage(data.error) : ''} />
      {data.loading && <Loading what="the reservation" />}
      {reservation && (
        <>
          {props.confirmed && <p class="success">Payment approved. Enjoy the film!</p>}
          <p class="reservation-no">
            Reservation number <strong data-testid="reservation-no">{reservation.reservationNo}</strong>
          </p>
          <ReservationDetails reservation={reservation} />
        </>
      )}
      <p>
        <Link href="/reservations">All my reservations</Link> · <Link href="/">Screenings</Link>
      </p>
    </Page>
  );
}
