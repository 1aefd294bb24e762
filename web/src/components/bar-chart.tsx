// The dashboard's two charts, drawn as SVG by the page itself: revenue and refunds per day (columns)
// and movies by revenue (bars). Why no charting library: the page must stay under 60 KB gzipped,
// and the small well-kept ones either take a third of that on their own (Chart.js) or draw on a
// canvas, which a screen reader cannot read (uPlot). Two bar charts are a hundred lines of SVG whose
// text alternative we control: each chart is one image with a spoken summary, and the caller puts
// the same numbers in a table beside it. Refunds are hatched, so no series is told by colour alone.
import { formatWon } from '../format.ts';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
/** "10 Mar" for a YYYY-MM-DD day. */
export const formatShortDay = (date: string) => shortDay.format(new Date(`${date}T00:00:00Z`));

/** A round top for the axis (1, 2, 2.5 or 5 times a power of ten, at least `value`): its fifths are round too. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 56;
const BOTTOM = 28;
const TOP = 10;

export interface DayColumn {
  date: string;
  revenue: number;
  refunds: number;
}

export function DailyChart(props: { days: DayColumn[]; label: string }) {
  const { days } = props;
  const top = niceMax(Math.max(...days.map((day) => Math.max(day.revenue, day.refunds))));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(days.length, 1);
  const bar = Math.max(slot * 0.36, 0.8);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.ceil(days.length / 10);
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label}>
      <defs>
        <pattern
          id="refund-hatch"
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" class="refund-fill" />
          <line x1="0" y1="0" x2="0" y2="6" class="refund-line" />
        </pattern>
      </defs>
      {[0, 0.2, 0.4, 0.6, 0.8, 1].map((share) => (
        <g key={share}>
          <line class="grid" x1={LEFT} x2={WIDTH - 8} y1={y(top * share)} y2={y(top * share)} />
          <text class="axis" x={LEFT - 6} y={y(top * share)} text-anchor="end">
            {compact.format(top * share)}
          </text>
        </g>
      ))}
      {days.map((day, index) => {
        const x = LEFT + index * slot + slot / 2;
        return (
          <g key={day.date}>
            <rect class="revenue" x={x - bar} y={y(day.revenue)} width={bar} height={y(0) - y(day.revenue)}>
              <title>{`${formatShortDay(day.date)}: ${formatWon(day.revenue)} sold`}</title>
            </rect>
            <rect
              fill="url(#refund-hatch)"
              x={x}
              y={y(day.refunds)}
              width={bar}
              height={y(0) - y(day.refunds)}
            >
              <title>{`${formatShortDay(day.date)}: ${formatWon(day.refunds)} refunded`}</title>
            </rect>
            {index % labelEvery === 0 && (
              <text class="axis" x={x} y={HEIGHT - BOTTOM / 2} text-anchor="middle">
                {formatShortDay(day.date)}
              </text>
            )}
          </g>
        );
      })}
      <line class="baseline" x1={LEFT} x2={WIDTH - 8} y1={y(0)} y2={y(0)} />
    </svg>
  );
}

export interface MovieBar {
  title: string;
  revenue: number;
}

const ROW = 30;
const NAME_WIDTH = 210;

export function MoviesChart(props: { movies: MovieBar[]; label: string }) {
  const top = niceMax(Math.max(...props.movies.map((movie) => movie.revenue)));
  const height = props.movies.length * ROW + 8;
  const room = WIDTH - NAME_WIDTH - 120;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.label}>
      {props.movies.map((movie, index) => {
        const y = 4 + index * ROW;
        const length = Math.max((movie.revenue / top) * room, 1);
        const name = movie.title.length > 28 ? `${movie.title.slice(0, 27)}…` : movie.title;
        return (
          <g key={`${index}-${movie.title}`}>
            <text class="axis name" x={NAME_WIDTH - 8} y={y + ROW / 2} text-anchor="end">
              {name}
            </text>
            <rect class="revenue" x={NAME_WIDTH} y={y + 4} width={length} height={ROW - 8} rx="3" />
            <text class="axis" x={NAME_WIDTH + length + 6} y={y + ROW / 2}>
              {formatWon(movie.revenue)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
