// One reservation, as the person who bought it reads it.
import type { Reservation } from '../api/types.ts';
import { formatWhen, formatWon } from '../format.ts';
import { SeatList } from './seat-list.tsx';

export function ReservationDetails(props: { reservation: Reservation }) {
  const { reservation } = props;
  return (
    <dl class="details">
      <dt>Movie</dt>
      <dd>{reservation.movieTitle}</dd>
      <dt>Where</dt>
      <dd>
        {reservation.theaterName}, {reservation.screenName}
      </dd>
      <dt>When</dt>
      <dd>{formatWhen(reservation.startTime)}</dd>
      <dt>Seats</dt>
      <dd>
        <SeatList seats={reservation.seats} />
      </dd>
      <dt>Total</dt>
      <dd>{formatWon(reservation.totalAmount)}</dd>
      <dt>Status</dt>
      <dd>{reservation.status === 'CONFIRMED' ? 'Confirmed' : 'Cancelled'}</dd>
    </dl>
  );
}
