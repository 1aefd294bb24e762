// The admin's sales dashboard: a range of days (in the server's TIMEZONE), its summary figures, sales
// per day and the top movies, each chart with the same numbers as a table and a CSV download.
import { useState } from 'preact/hooks';
import { api, downloadCsv } from '../api/client.ts';
import type { DailySales, Page as List, SalesSummary, TopMovie } from '../api/types.ts';
import { DailyChart, formatShortDay, MoviesChart } from '../components/bar-chart.tsx';
import { DataTable } from '../components/data-table.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { cinemaDate, formatWon, plural } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;
const daysIn = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export function AdminDashboardPage(props: { query: URLSearchParams }) {
  const today = cinemaDate();
  const from = props.query.get('from') ?? cinemaDate(-6);
  const to = props.query.get('to') ?? today;
  const range = `from=${from}&to=${to}`;
  const report = useLoad(async () => {
    const [summary, daily, top] = await Promise.all([
      api<SalesSummary>(`/api/admin/reports/summary?${range}`, { auth: true }),
      api<Pick<List<DailySales>, 'items'>>(`/api/admin/reports/daily-sales?${range}`, { auth: true }),
      api<Pick<List<TopMovie>, 'items'>>(`/api/admin/reports/top-movies?${range}&limit=10`, { auth: true }),
    ]);
    return { summary, days: daily.items, movies: top.items };
  }, [range]);
  const [downloadError, setDownloadError] = useState('');
  const download = (report: 'daily-sales' | 'top-movies') =>
    downloadCsv(`/api/admin/reports/${report}?${range}`, `${report}-${from}-to-${to}.csv`).then(
      () => setDownloadError(''),
      (failure: unknown) => setDownloadError(plainMessage(failure)),
    );
  const data = report.data;

  return (
    <Page title="Sales dashboard" wide>
      <p>
        <Link href="/admin">Back to the day's screenings</Link>
      </p>
      <RangePicker
        from={from}
        to={to}
        today={today}
        onChange={(next) => navigate(`/admin/dashboard?from=${next.from}&to=${next.to}`, { replace: true })}
      />
      <Alert message={report.error ? plainMessage(report.error) : downloadError} />
      {report.loading && !data ? (
        <Loading what="sales" />
      ) : (
        data && (
          <>
            <Figures summary={data.summary} />
            <section aria-labelledby="daily-title" class="report">
              <div class="report-head">
                <h2 id="daily-title">Sales per day</h2>
                <button type="button" onClick={() => download('daily-sales')}>
                  Download sales per day (CSV)
                </button>
              </div>
              <DailyChart days={data.days} label={dailyLabel(data.days)} />
              <ul class="chart-legend" aria-hidden="true">
                <li>
                  <span class="swatch revenue" /> Sold
                </li>
                <li>
                  <span class="swatch refunds" /> Refunded
                </li>
              </ul>
              <details>
                <summary>Sales per day as a table</summary>
                <DataTable
                  caption="Sales per day"
                  columns={['Day', 'Sold', 'Refunded', 'Reservations', 'Seats sold']}
                  testId="daily-sales"
                >
                  {data.days.map((day) => (
                    <tr key={day.date}>
                      <td>{day.date}</td>
                      <td>{formatWon(day.revenue)}</td>
                      <td>{formatWon(day.refunds)}</td>
                      <td>{day.reservations}</td>
                      <td>{day.seatsSold}</td>
                    </tr>
                  ))}
                </DataTable>
              </details>
            </section>
            <section aria-labelledby="movies-title" class="report">
              <div class="report-head">
                <h2 id="movies-title">Top movies</h2>
                <button type="button" onClick={() => download('top-movies')}>
                  Download top movies (CSV)
                </button>
              </div>
              {data.movies.length === 0 ? (
                <p>No tickets were sold in this range.</p>
              ) : (
                <>
                  <MoviesChart movies={data.movies} label={moviesLabel(data.movies)} />
                  <details>
                    <summary>Top movies as a table</summary>
                    <DataTable caption="Top movies by revenue" columns={['Movie', 'Sold', 'Seats sold']}>
                      {data.movies.map((movie) => (
                        <tr key={movie.movieId}>
                          <td>{movie.title}</td>
                          <td>{formatWon(movie.revenue)}</td>
                          <td>{movie.seatsSold}</td>
                        </tr>
                      ))}
                    </DataTable>
                  </details>
                </>
              )}
            </section>
          </>
        )
      )}
    </Page>
  );
}

function Figures(props: { summary: SalesSummary }) {
  const { summary } = props;
  const figures: [string, string][] = [
    ['Sold', formatWon(summary.revenue)],
    ['Refunded', formatWon(summary.refunds)],
    ['Net', formatWon(summary.netRevenue)],
    ['Reservations', String(summary.reservations)],
    ['Cancellations', String(summary.cancellations)],
    ['Seats sold', String(summary.seatsSold)],
    ['Occupancy', percent.format(summary.occupancy)],
  ];
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title" class="visually-hidden">
        Summary
      </h2>
      <dl class="figures" data-testid="figures">
        {figures.map(([name, value]) => (
          <div key={name} class="figure">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">
        Money is counted when it moves: sales on the day the payment was approved, refunds on the day they
        went through. Occupancy covers the screenings that start in the range.
      </p>
    </section>
  );
}

function RangePicker(props: {
  from: string;
  to: string;
  today: string;
  onChange: (range: { from: string; to: string }) => void;
}) {
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  const [error, setError] = useState('');
  const choose = (next: { from: string; to: string }) => {
    setFrom(next.from);
    setTo(next.to);
    setError('');
    props.onChange(next);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (!from || !to) return setError('Choose both days.');
    const days = daysIn(from, to);
    if (days < 1) return setError('The last day comes before the first.');
    if (days > MAX_DAYS) return setError(`Choose at most ${MAX_DAYS} days (this is ${plural(days, 'day')}).`);
    choose({ from, to });
  };
  const lastDays = (count: number) => ({ from: cinemaDate(1 - count), to: props.today });
  return (
    <form class="range-picker" onSubmit={submit} aria-labelledby="range-title" noValidate>
      <h2 id="range-title" class="visually-hidden">
        Days
      </h2>
      <div class="field">
        <label for="from">First day</label>
        <input
          id="from"
          type="date"
          value={from}
          max={props.today}
          aria-describedby={error ? 'range-error' : undefined}
          aria-invalid={error ? 'true' : undefined}
          onInput={(event) => setFrom(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="to">Last day</label>
        <input
          id="to"
          type="date"
          value={to}
          aria-describedby={error ? 'range-error' : undefined}
          aria-invalid={error ? 'true' : undefined}
          onInput={(event) => setTo(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="primary">
        Show
      </button>
      <div class="presets">
        <button type="button" onClick={() => choose({ from: props.today, to: props.today })}>
          Today
        </button>
        <button type="button" onClick={() => choose(lastDays(7))}>
          Last 7 days
        </button>
        <button type="button" onClick={() => choose(lastDays(30))}>
          Last 30 days
        </button>
      </div>
      {error && (
        <p id="range-error" class="field-error">
          {error}
        </p>
      )}
    </form>
  );
}

function dailyLabel(days: DailySales[]): string {
  const sold = days.reduce((sum, day) => sum + day.revenue, 0);
  const refunded = days.reduce((sum, day) => sum + day.refunds, 0);
  const best = days.reduce<DailySales | undefined>(
    (top, day) => (day.revenue > (top?.revenue ?? 0) ? day : top),
    undefined,
  );
  const peak = best ? `, most on ${formatShortDay(best.date)} (${formatWon(best.revenue)})` : '';
  return `Sales per day over ${plural(days.length, 'day')}: ${formatWon(sold)} sold${peak}, ${formatWon(refunded)} refunded. The table below has every day.`;
}

function moviesLabel(movies: TopMovie[]): string {
  const listed = movies
    .slice(0, 3)
    .map((movie) => `${movie.title}, ${formatWon(movie.revenue)}`)
    .join('; ');
  return `Top ${plural(movies.length, 'movie')} by revenue: ${listed}${movies.length > 3 ? '; the table below has the rest' : ''}.`;
}
