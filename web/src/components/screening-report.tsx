// One screening's sales for the admin (GET /api/admin/reports/screenings/:id): seats sold and their
// money per seat type from the records, seats held and blocked as the seat map has them now. It is
// read again whenever the live counts change.
import { api } from '../api/client.ts';
import type { ScreeningReport as Report } from '../api/types.ts';
import { formatWon, typeName } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { DataTable } from './data-table.tsx';
import { Alert, Loading } from './page.tsx';

export function ScreeningReport(props: { screeningId: string; changes: unknown[] }) {
  const report = useLoad(
    () =>
      api<Report>(`/api/admin/reports/screenings/${encodeURIComponent(props.screeningId)}`, { auth: true }),
    [props.screeningId, ...props.changes],
  );
  const data = report.data;
  return (
    <section aria-labelledby="screening-report-title">
      <h2 id="screening-report-title">Sales of this screening</h2>
      <Alert message={report.error ? plainMessage(report.error) : ''} />
      {!data ? (
        report.loading && <Loading what="sales" />
      ) : (
        <>
          <dl class="figures" data-testid="screening-report">
            {(
              [
                ['Sold', `${data.seatsSold} of ${data.seatsTotal}`],
                ['Held now', String(data.seatsHeld)],
                ['Blocked now', String(data.seatsBlocked)],
                ['Revenue', formatWon(data.revenue)],
              ] as const
            ).map(([name, value]) => (
              <div key={name} class="figure">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <DataTable caption="Sales by seat type" columns={['Seat type', 'Seats', 'Sold', 'Revenue']}>
            {data.byType.map((row) => (
              <tr key={row.type}>
                <td>{typeName(row.type)}</td>
                <td>{row.total}</td>
                <td>{row.sold}</td>
                <td>{formatWon(row.revenue)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}
