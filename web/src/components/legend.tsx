// What the seat map's shapes, colours and glyphs mean, in words: the seat types with their prices
// first (what a buyer compares), then the statuses.
import { SEAT_STATUSES } from '../api/types.ts';
import { formatWon, STATUS_NAMES, typeName } from '../format.ts';
import { SELECTED_GLYPH, STATUS_GLYPHS } from './seat-map.tsx';

const SHOWN = SEAT_STATUSES.filter((status) => status !== 'AVAILABLE');
/** Always in the legend; the other statuses only when some seat has them. */
const ALWAYS: readonly string[] = ['HOLD', 'RESERVED'];

export function Legend(props: {
  types: string[];
  prices: Record<string, number>;
  selectedText: string;
  /** The statuses found on the map; the others are left out of the legend. */
  statuses: string[];
}) {
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h2 id="legend-title" class="visually-hidden">
        Seat types, prices and what the map shows
      </h2>
      <ul class="legend-list types" aria-label="Seat types and prices">
        {props.types.map((type) => (
          <li key={type}>
            <span class={`seat sample status-available type-${type.toLowerCase()}`} aria-hidden="true" />
            <span>
              <strong>{typeName(type)}</strong>
              {props.prices[type] === undefined ? '' : ` ${formatWon(props.prices[type])}`}
            </span>
          </li>
        ))}
      </ul>
      <ul class="legend-list statuses" aria-label="Seat statuses">
        <li>
          <span class="seat sample status-available" aria-hidden="true">
            7
          </span>
          Free (its number)
        </li>
        <li>
          <span class="seat sample status-available selected" aria-hidden="true">
            {SELECTED_GLYPH}
          </span>
          {props.selectedText}
        </li>
        {SHOWN.filter((status) => ALWAYS.includes(status) || props.statuses.includes(status)).map(
          (status) => (
            <li key={status}>
              <span class={`seat sample status-${status.toLowerCase()}`} aria-hidden="true">
                {STATUS_GLYPHS[status]}
              </span>
              {capitalise(STATUS_NAMES[status])}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
