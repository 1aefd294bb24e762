// The seats of a screening in their rows, screen at the top, on a dark auditorium floor. Each seat is
// a button whose label says everything ("Row B, seat 7, VIP, available, 20,000 won"); its type shows
// as a shape and a colour, its status as a glyph and a fill pattern, so nothing is told by colour
// alone. One tab stop: the arrow keys move between seats. The map zooms (seats of at least 32 px on
// a phone) and pans in its own scrolling frame, which opens centred on the middle of the rows.
import type { TargetedKeyboardEvent } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Seat, SeatStatus } from '../api/types.ts';
import { seatLabel } from '../format.ts';

export const STATUS_GLYPHS: Record<SeatStatus, string> = {
  AVAILABLE: '',
  HOLD: '◔',
  PAYMENT_PENDING: '◑',
  RESERVED: '✕',
  RESERVATION_CANCELLED: '↺',
  BLOCKED: '⊘',
  DISABLED: '–',
};
export const SELECTED_GLYPH = '✓';

export interface SeatMapProps {
  seats: Seat[];
  /** Names the whole map for screen readers. */
  label: string;
  selected: ReadonlySet<string>;
  /** Seats the person holds already ("held by you"). */
  mine?: ReadonlySet<string>;
  /** Whether picking this seat can do something; the others are announced as unavailable. */
  canPick: (seat: Seat) => boolean;
  onPick: (seat: Seat) => void;
}

interface Row {
  label: string;
  seats: Seat[];
}

export function SeatMap(props: SeatMapProps) {
  const rows = useMemo(() => toRows(props.seats), [props.seats]);
  const [focusId, setFocusId] = useState<string | undefined>();
  const [zoom, setZoom] = useState(0);
  const container = useRef<HTMLFieldSetElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const view = frame.current;
    if (view) view.scrollLeft = (view.scrollWidth - view.clientWidth) / 2;
  }, [zoom, rows.length]);
  const tabStop = props.seats.some((seat) => seat.seatId === focusId)
    ? focusId
    : (props.seats.find(props.canPick) ?? props.seats[0])?.seatId;

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLFieldSetElement>) => {
    const id = (event.target as HTMLElement).dataset?.seatId;
    const next = id ? neighbour(rows, id, event.key) : undefined;
    if (!next) return;
    event.preventDefault();
    setFocusId(next);
    container.current?.querySelector<HTMLButtonElement>(`[data-seat-id="${next}"]`)?.focus();
  };

  return (
    <div class="seat-map" style={{ '--zoom': ZOOMS[zoom] }}>
      <div class="map-tools">
        <p id="seat-map-help" class="hint keyboard-help">
          Use the arrow keys to move between seats, and Enter or Space to choose one.
        </p>
        <fieldset class="zoom">
          <legend class="visually-hidden">Zoom the seat map</legend>
          <button
            type="button"
            aria-label="Zoom out"
            disabled={zoom === 0}
            onClick={() => setZoom((level) => Math.max(0, level - 1))}
          >
            −
          </button>
          <button
            type="button"
            aria-label="Zoom in"
            disabled={zoom === ZOOMS.length - 1}
            onClick={() => setZoom((level) => Math.min(ZOOMS.length - 1, level + 1))}
          >
            +
          </button>
        </fieldset>
      </div>
      <div class="map-frame" ref={frame} data-testid="map-frame">
        <div class="auditorium">
          <div class="screen" aria-hidden="true">
            Screen
          </div>
          <fieldset ref={container} class="seat-rows" aria-describedby="seat-map-help" onKeyDown={onKeyDown}>
            <legend class="visually-hidden">{props.label}</legend>
            {rows.map((row) => (
              <fieldset class="seat-row" key={row.label}>
                <legend class="visually-hidden">Row {row.label}</legend>
                <span class="row-label" aria-hidden="true">
                  {row.label}
                </span>
                {row.seats.map((seat) => {
                  const selected = props.selected.has(seat.seatId);
                  const mine = props.mine?.has(seat.seatId) ?? false;
                  return (
                    <button
                      type="button"
                      key={seat.seatId}
                      class={`seat type-${seat.type.toLowerCase()} status-${seat.status.toLowerCase()}${selected ? ' selected' : ''}${mine ? ' mine' : ''}`}
                      data-seat-id={seat.seatId}
                      data-status={seat.status}
                      aria-label={seatLabel(seat, seat.status, mine)}
                      aria-pressed={selected}
                      aria-disabled={props.canPick(seat) ? undefined : 'true'}
                      tabIndex={seat.seatId === tabStop ? 0 : -1}
                      onFocus={() => setFocusId(seat.seatId)}
                      onClick={() => props.onPick(seat)}
                    >
                      <span aria-hidden="true">{glyph(seat, selected, mine)}</span>
                    </button>
                  );
                })}
                <span class="row-label" aria-hidden="true">
                  {row.label}
                </span>
              </fieldset>
            ))}
          </fieldset>
        </div>
      </div>
    </div>
  );
}

/** Zoom levels: a seat is 2 rem (32 px) on a phone at the first, 2.3 rem on a desktop. */
const ZOOMS = [1, 1.25, 1.5];

function glyph(seat: Seat, selected: boolean, mine: boolean): string {
  if (selected || mine) return SELECTED_GLYPH;
  return STATUS_GLYPHS[seat.status] || String(seat.seatNo);
}

function toRows(seats: Seat[]): Row[] {
  const byRow = new Map<string, Seat[]>();
  for (const seat of seats) byRow.set(seat.rowLabel, [...(byRow.get(seat.rowLabel) ?? []), seat]);
  return [...byRow.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([label, row]) => ({ label, seats: row.sort((a, b) => a.seatNo - b.seatNo) }));
}

/** The seat the arrow key (or Home/End) moves to from `id`. */
function neighbour(rows: Row[], id: string, key: string): string | undefined {
  const rowIndex = rows.findIndex((row) => row.seats.some((seat) => seat.seatId === id));
  const row = rows[rowIndex];
  if (!row) return undefined;
  const index = row.seats.findIndex((seat) => seat.seatId === id);
  const at = (r: Row | undefined, i: number) =>
    r?.seats[Math.max(0, Math.min(r.seats.length - 1, i))]?.seatId;
  switch (key) {
    case 'ArrowLeft':
      return at(row, index - 1);
    case 'ArrowRight':
      return at(row, index + 1);
    case 'Home':
      return at(row, 0);
    case 'End':
      return at(row, row.seats.length - 1);
    case 'ArrowUp':
    case 'ArrowDown': {
      const target = rows[rowIndex + (key === 'ArrowUp' ? -1 : 1)];
      if (!target) return undefined;
      // Rows differ in length and are centred: keep the same relative position.
      const share = row.seats.length > 1 ? index / (row.seats.length - 1) : 0.5;
      return at(target, Math.round(share * (target.seats.length - 1)));
    }
    default:
      return undefined;
  }
}
