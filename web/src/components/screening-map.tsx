// What the buyer's and the admin's seat-map views share: the screening's line with its poster,
// whether the map is live, the error box, the legend with the prices, and the map with a side panel.
import type { ComponentChildren } from 'preact';
import { type ScreeningDetail, SEAT_TYPES, type Seat } from '../api/types.ts';
import { formatWhen } from '../format.ts';
import type { LiveSeatMap } from '../live/use-live-seats.ts';
import { plainMessage } from '../messages.ts';
import { Legend } from './legend.tsx';
import { LiveStatus } from './live-status.tsx';
import { Alert, Loading } from './page.tsx';
import { Poster } from './poster.tsx';
import { SeatMap, type SeatMapProps } from './seat-map.tsx';

export function ScreeningHeader(props: { detail: ScreeningDetail | undefined }) {
  const { detail } = props;
  if (!detail) return null;
  return (
    <div class="screening-head">
      <Poster movie={detail.movie} />
      <p class="meta">
        <span class="when">{formatWhen(detail.startTime)}</span>
        <span>
          {detail.theater.name}, {detail.screen.name}
        </span>
        <span>{detail.movie.runtimeMinutes} min</span>
      </p>
    </div>
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
        <div class="map-area">
          <Legend
            types={seatTypesOf(live.seats)}
            prices={screening?.prices ?? {}}
            selectedText={props.selectedText}
            statuses={[...new Set(live.seats.map((seat) => seat.status))]}
          />
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
        </div>
      )}
    </>
  );
}

const seatTypesOf = (seats: Seat[]) => SEAT_TYPES.filter((type) => seats.some((seat) => seat.type === type));
