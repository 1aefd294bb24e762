// Seats as a list in words: "Row C, seat 5, Standard: 12,000 won".
import { formatWon, seatName, typeName } from '../format.ts';

export interface ListedSeat {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  price: number;
}

export function SeatList(props: { seats: ListedSeat[] }) {
  return (
    <ul class="seat-list">
      {props.seats.map((seat) => (
        <li key={seat.seatId}>
          {seatName(seat)}, {typeName(seat.type)}: {formatWon(seat.price)}
        </li>
      ))}
    </ul>
  );
}
