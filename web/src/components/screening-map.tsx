// What the buyer's and the admin's seat-map views share: the screening's line, whether the map is
// live, the error box, the map with a side panel, and the legend.
import type { ComponentChildren } from 'preact';
import { type ScreeningDetail, SEAT_TYPES, type Seat } from '../api/types.ts';
import { formatWhen } from '../format.ts';
import type { LiveSeatMap } from '../live/use-live-seats.ts';
import { plainMessage } from '../messages.ts';
import { Legend } from './legend.tsx';
import { LiveStatus } from './live-status.tsx';
import { Alert, Loading } from './page.tsx';
import { SeatMap, type SeatMapProps } from './seat-map.tsx';

export function ScreeningHeader(props: { detail: ScreeningDetail | undefined }) {
  const { detail } = props;
  if (!detail) return null;
  return (
    <p class="meta">
      {detail.theater.name}, {detail.screen.name} · {formatWhen(detail.startTime)} ·{' '}
      {detail.movie.runtimeMinutes} min
    </p>
  );
}

export function ScreeningMap(
  props: Pick<SeatMapProps, 'selected' | 'mine' | 'canPick' | 'onPick'> & {
    screening: ScreeningDetail | undefined;
    /** Why the screening itself could not be loaded, if it could not. */
    loadError: unknown;
    live: LiveSeatMap;
    /** The last thing that went wrong, in words. */
    error: string;
    /** What the legend calls a chosen seat. */
    selectedText: string;
    /** Shown above the map (holds, counts). */
    intro?: ComponentChildren;
    /** The panel beside the map. */
    aside: ComponentChildren;
  },
) {
  const { screening, live } = props;
  const failure = live.error ?? props.loadError;
  const when = screening ? ` for ${screening.movie.title}, ${formatWhen(screening.startTime)}` : '';
  return (
    <>
      <ScreeningHeader detail={screening} />
      <LiveStatus connection={live.connection} />
      <Alert message={props.error || (failure ? plainMessage(failure) : '')} />
      {props.intro}
      {!live.seats ? (
        !failure && <Loading what="the seat map" />
      ) : (
        <>
          <div class="map-layout">
            <SeatMap
              seats={live.seats}
              label={`Seats${when}`}
              selected={props.selected}
              mine={props.mine}
              canPick={props.canPick}
              onPick={props.onPick}
            />
            {props.aside}
          </div>
          <Legend
            types={seatTypesOf(live.seats)}
            prices={screening?.prices ?? {}}
            selectedText={props.selectedText}
          />
        </>
      )}
    </>
  );
}

const seatTypesOf = (seats: Seat[]) => SEAT_TYPES.filter((type) => seats.some((seat) => seat.type === type));
