// `npm run bench:reports`: how fast the admin sales reports answer on a year of sales, about a
// million reservation seats. Fills a scratch database with generate_series (set-based SQL, a few
// statements, no row-by-row inserts), then times the 31-day summary, daily sales and top movies
// through the same service functions the routes call, and drops the database.
import { parseArgs } from 'node:util';
import { occupancyQueries, salesByDay, topMovies } from '../src/adapters/db/report-repository.ts';
import { createScratchDatabase } from '../src/local/scratch-database.ts';
import { dailySales, reportRange, salesSummary, topMoviesIn } from '../src/services/report-service.ts';
import { summarize } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    screens: { type: 'string', default: '10' },
    runs: { type: 'string', default: '30' },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench:reports -- [--days 365] [--screens 10] [--runs 30]
  A year of history (--days), --screens halls of 200 seats, three screenings a hall a day, each
  selling 62 to 124 seats in pairs (about 1M seats with the defaults); 5% cancelled and refunded.
  Postgres: a database of the run's own next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`);
  process.exit(0);
}
const days = Number(values.days);
const screenCount = Number(values.screens);
const runs = Number(values.runs);
const TIMEZONE = 'Asia/Seoul';

const scratch = await createScratchDatabase('marquee_reports_bench');
const connection = scratch.connect(8);
try {
  const started = performance.now();
  const client = await connection.pool.connect();
  try {
    // Bulk load: foreign keys are checked by construction here, not row by row by triggers.
    await client.query('set session_replication_role = replica');
    for (const statement of fill(days, screenCount)) await client.query(statement);
    await client.query('set session_replication_role = origin');
    await client.query('vacuum analyze');
    const counts = await client.query(
      `select (select count(*) from reservation_seats) as seats, (select count(*) from reservations) as reservations,
              (select count(*) from screenings) as screenings`,
    );
    const row = counts.rows[0] as { seats: string; reservations: string; screenings: string };
    console.log(
      `filled in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Number(row.seats).toLocaleString('en')} reservation seats, ` +
        `${Number(row.reservations).toLocaleString('en')} reservations, ${Number(row.screenings).toLocaleString('en')} screenings`,
    );
  } finally {
    client.release();
  }

  const today = new Date();
  const from = new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const range = reportRange({ from, to: today.toISOString().slice(0, 10) }, TIMEZONE, today);
  const db = connection.db;
  const reports = {
    summary: () => salesSummary(db, range),
    'daily-sales': () => dailySales(db, range),
    'top-movies': () => topMoviesIn(db, range, 10),
  };
  const first = await reports.summary(); // warms the pool's connections and Postgres's caches
  console.log(`31-day summary ${range.from}..${range.to}:`, JSON.stringify(first));
  if (values.explain) {
    const occupancy = occupancyQueries(db, range);
    for (const query of [salesByDay(db, range), topMovies(db, range, 10), ...Object.values(occupancy)]) {
      const { sql, params } = query.toSQL();
      const plan = await connection.pool.query(`explain (analyze, buffers) ${sql}`, params);
      console.log(plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n'));
    }
  }
  for (const [name, run] of Object.entries(reports)) {
    await run();
    const times: number[] = [];
    for (let index = 0; index < runs; index += 1) {
      const begun = performance.now();
      await run();
      times.push(performance.now() - begun);
    }
    const { p50, p95 } = summarize(times);
    console.log(`${name} (31 days, ${runs} runs): p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  }
} finally {
  await connection.close();
  await scratch.drop();
}

/**
 * The history, as set-based SQL: catalog, screenings, then sales in pairs of seats, written in the
 * order they were sold (as a live system writes them). Only the refunded payments are written: the
 * reports read reservations and refunds, never payments.
 */
function fill(dayCount: number, screens: number): string[] {
  return [
    `insert into theaters (name) values ('Bench Cinema')`,
    `insert into members (login_id, password_hash) select 'bench_' || n, 'unusable' from generate_series(1, 1000) n`,
    `insert into movies (title, runtime_minutes, rating, status)
       select 'Bench movie ' || n, 110, 'ALL', 'SHOWING' from generate_series(1, 40) n`,
    `insert into screens (theater_id, name) select t.id, 'Hall ' || n from theaters t, generate_series(1, ${screens}) n`,
    // Rows A-J of 20 seats: A-H STANDARD, I PREMIUM, J VIP.
    `insert into seats (screen_id, row_label, seat_no, type)
       select s.id, chr(64 + r), n, case when r <= 8 then 'STANDARD' when r = 9 then 'PREMIUM' else 'VIP' end
       from screens s, generate_series(1, 10) r, generate_series(1, 20) n`,
    // Three screenings a hall a day, for the last dayCount days (today included).
    `insert into screenings (movie_id, screen_id, start_time, end_time, sales_open_at, prices)
       select m.id, s.id, start_at, start_at + interval '110 minutes', start_at - interval '21 days',
              '{"STANDARD":12000,"PREMIUM":15000,"VIP":20000}'::jsonb
       from (select id, row_number() over (order by name) as hall from screens) s
       cross join generate_series(0, ${dayCount - 1}) d
       cross join generate_series(0, 2) slot
       cross join lateral (select date_trunc('day', now()) - make_interval(days => d) + make_interval(hours => 1 + slot * 4) as start_at) t
       join (select id, row_number() over (order by title) - 1 as no from movies) m
         on m.no = (d * 7 + s.hall * 3 + slot) % 40`,
    // Seats in pairs along each row (20 a row, so a pair never spans two rows or two types).
    `create temp table seat_order as
       select id as seat_id, screen_id, type,
              (row_number() over (partition by screen_id order by row_label, seat_no) + 1) / 2 as pair
       from seats`,
    `create temp table member_no as select id, row_number() over (order by id) - 1 as no from members`,
    // Each screening sells pairs 1..k (k from 31 to 62), bought in the 14 days before it starts.
    `create temp table sale as
       select gen_random_uuid() as id, sc.id as screening_id, sc.screen_id, sc.prices, p as pair, m.id as member_id,
              least(now(), sc.start_time - make_interval(secs => (hashtext(sc.id::text || p) & 1048575) * 1.15)) as sold_at,
              (hashtext(sc.id::text || 'c' || p) & 1023) < 51 as cancelled
       from screenings sc
       cross join lateral generate_series(1, 31 + (hashtext(sc.id::text) & 31)) p
       join member_no m on m.no = (hashtext(sc.id::text || p) & 1023) % 1000`,
    'analyze seat_order',
    'analyze sale',
    `insert into reservations (id, reservation_no, member_id, screening_id, hold_token, status, total_amount, seat_count, created_at, cancelled_at)
       select sale.id, 'B' || replace(sale.id::text, '-', ''), sale.member_id, sale.screening_id, 'bench-' || sale.id,
              case when cancelled then 'CANCELLED' else 'CONFIRMED' end, 2 * (sale.prices ->> t.type)::int, 2,
              sold_at, case when cancelled then sold_at + interval '2 hours' end
       from sale join (select distinct screen_id, pair, type from seat_order) t
         on t.screen_id = sale.screen_id and t.pair = sale.pair
       order by sold_at`,
    `insert into reservation_seats (reservation_id, screening_id, seat_id, price, active)
       select sale.id, sale.screening_id, o.seat_id, (sale.prices ->> o.type)::int, not sale.cancelled
       from sale join seat_order o on o.screen_id = sale.screen_id and o.pair = sale.pair
       order by sold_at`,
    `insert into payments (member_id, screening_id, reservation_id, hold_token, idempotency_key, method, amount, status, seat_ids, created_at)
       select r.member_id, r.screening_id, r.id, r.hold_token, 'bench-' || r.id, 'KAKAO_PAY', r.total_amount,
              'REFUNDED', '[]'::jsonb, r.created_at
       from reservations r where r.status = 'CANCELLED'`,
    `insert into refunds (payment_id, reservation_id, amount, status, created_at, completed_at)
       select p.id, p.reservation_id, p.amount, 'REFUNDED', r.cancelled_at, r.cancelled_at + interval '1 minute'
       from payments p join reservations r on r.id = p.reservation_id where r.status = 'CANCELLED'`,
    // Two seats blocked in one screening of ten.
    `insert into screening_seat_states (screening_id, seat_id, status, reason)
       select sc.id, o.seat_id, 'BLOCKED', 'bench'
       from screenings sc join seat_order o on o.screen_id = sc.screen_id and o.pair = 100
       where hashtext(sc.id::text) % 10 = 0`,
  ];
}
