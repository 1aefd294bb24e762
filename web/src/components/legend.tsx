// What the seat map's glyphs, patterns and shapes mean, in words.
import { SEAT_STATUSES } from '../api/types.ts';
import { formatWon, STATUS_NAMES, typeName } from '../format.ts';
import { SELECTED_GLYPH, STATUS_GLYPHS } from './seat-map.tsx';

const SHOWN = SEAT_STATUSES.filter((status) => status !== 'AVAILABLE');

export function Legend(props: { types: string[]; prices: Record<string, number>; selectedText: string }) {
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h2 id="legend-title">Legend</h2>
      <ul class="legend-list">
        <li>
          <span class="seat sample status-available" aria-hidden="true">
            7
          </span>
          Available (shows its seat number)
        </li>
        <li>
          <span class="seat sample status-available selected" aria-hidden="true">
            {SELECTED_GLYPH}
          </span>
          {props.selectedText}
        </li>
        {SHOWN.map((status) => (
          <li key={status}>
            <span class={`seat sample status-${status.toLowerCase()}`} aria-hidden="true">
              {STATUS_GLYPHS[status]}
            </span>
            {capitalise(STATUS_NAMES[status])}
          </li>
        ))}
      </ul>
      <h3>Seat types</h3>
      <ul class="legend-list">
        {props.types.map((type) => (
          <li key={type}>
            <span class={`seat sample status-available type-${type.toLowerCase()}`} aria-hidden="true" />
            {typeName(type)}
            {props.prices[type] === undefined ? '' : `: ${formatWon(props.prices[type])}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
