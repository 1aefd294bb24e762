// The bench's results: everything as JSON, the figures people read as a markdown table (both
// runtimes side by side, each figure with its ratio to the runtime's baselines, and the sale
// behind the waiting room beside the room-less one).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PieceCosts } from './costs.ts';
import type { Machine } from './machine.ts';
import type { RuntimeResult } from './runtime-bench.ts';
import type { Summary } from './support/stats.ts';
import type { RoomFigures } from './waiting-room.ts';

export interface RunReport {
  command: string;
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  options: {
    users: number;
    watchers: number;
    connections: number;
    durationSeconds: number;
    pool: number;
    paymentPool: number;
    capacityPayments: number;
    /** The waiting-room phase's members and rate (admissions a minute, or "from capacity"); none with --no-room. */
    room?: { users: number; rate: number | 'from capacity' };
  };
  runtimes: RuntimeResult[];
  pieces: PieceCosts;
}

const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–');
const ratio = (value: number, base: number) =>
  base > 0 && Number.isFinite(value) ? `${(value / base).toFixed(2)}×` : '–';
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const percent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '–');
const triple = (s: Summary | undefined) => (s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : '–');
const codes = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code}: ${int(n)}`)
    .join(', ') || '–';

function row(label: string, cells: string[]): string {
  return `| ${label} | ${cells.join(' | ')} |`;
}

/**
 * The least a Marquee request of the hold path could cost the server: its floor (the unknown route,
 * through every request's middleware) plus what the bare booking does beyond the no-op route.
 */
const floorBound = (t: RuntimeResult['throughput']) =>
  t.floor.serverCpuUs + t.bare.serverCpuUs - t.noop.serverCpuUs;

function throughputRows(runtimes: RuntimeResult[]): string[] {
  const cells = (format: (t: RuntimeResult['throughput']) => string) =>
    runtimes.map((r) => format(r.throughput));
  return [
    row(
      'no-op route: requests/s',
      cells((t) => int(t.noop.requestsPerSecond)),
    ),
    row(
      'no-op route: p50 / p95 / p99 ms',
      cells((t) => triple(t.noop.latency)),
    ),
    row(
      'Marquee unknown route (its middleware → 404): requests/s (÷ no-op)',
      cells(
        (t) =>
          `${int(t.floor.requestsPerSecond)} (${ratio(t.floor.requestsPerSecond, t.noop.requestsPerSecond)})`,
      ),
    ),
    row(
      'Marquee hold refused at validation (JWT + zod → 400): requests/s (÷ no-op)',
      cells(
        (t) =>
          `${int(t.front.requestsPerSecond)} (${ratio(t.front.requestsPerSecond, t.noop.requestsPerSecond)})`,
      ),
    ),
    row(
      'Marquee hold refused at validation: p50 / p95 / p99 ms',
      cells((t) => triple(t.front.latency)),
    ),
    row(
      'bare booking: holds/s',
      cells((t) => int(t.bare.holdsPerSecond ?? 0)),
    ),
    row(
      'bare booking: hold p50 / p95 / p99 ms',
      cells((t) => triple(t.bare.hold)),
    ),
    row(
      'Marquee: holds/s (÷ bare booking)',
      cells(
        (t) =>
          `${int(t.marquee.holdsPerSecond ?? 0)} (${ratio(t.marquee.holdsPerSecond ?? 0, t.bare.holdsPerSecond ?? 0)})`,
      ),
    ),
    row(
      'Marquee: hold p50 / p95 / p99 ms (p50 ÷ bare booking)',
      cells(
        (t) =>
          `${triple(t.marquee.hold)} (${ratio(t.marquee.hold?.p50 ?? Number.NaN, t.bare.hold?.p50 ?? 0)})`,
      ),
    ),
    row(
      'Marquee: release p50 / p95 / p99 ms',
      cells((t) => triple(t.marquee.release)),
    ),
    row(
      'Marquee: all requests/s ÷ no-op',
      cells((t) => ratio(t.marquee.requestsPerSecond, t.noop.requestsPerSecond)),
    ),
    row(
      'Marquee: Postgres round trips per hold (releases and work behind included)',
      runtimes.map((r) => fixed(r.roundTripsPerHold, 2)),
    ),
    row(
      'load generator CPU, share of one core: no-op / bare / Marquee',
      cells(
        (t) =>
          `${percent(t.noop.driverCpu)} / ${percent(t.bare.driverCpu)} / ${percent(t.marquee.driverCpu)}`,
      ),
    ),
    row(
      'server CPU µs per request: no-op / unknown route / refused at validation / bare / Marquee hold-release',
      cells((t) => [t.noop, t.floor, t.front, t.bare, t.marquee].map((m) => int(m.serverCpuUs)).join(' / ')),
    ),
    row(
      "by server CPU, Marquee ÷ bare booking (the most a hold could reach with Marquee's floor)",
      cells(
        (t) =>
          `${ratio(t.bare.serverCpuUs, t.marquee.serverCpuUs)} (${ratio(t.bare.serverCpuUs, floorBound(t))})`,
      ),
    ),
    row(
      'answers (Marquee hold/release)',
      cells((t) => codes(t.marquee.statusCodes) + (t.marquee.errors ? `, errors: ${t.marquee.errors}` : '')),
    ),
  ];
}

function saleRows(runtimes: RuntimeResult[]): string[] {
  const cells = (format: (s: RuntimeResult['sale'], r: RuntimeResult) => string) =>
    runtimes.map((r) => format(r.sale, r));
  const bareRate = (r: RuntimeResult) => r.throughput.bare.holdsPerSecond ?? 0;
  const lag = (summary: Summary) => `${ms(summary.p50)} / ${ms(summary.p99)}`;
  return [
    row(
      'sale window, s',
      cells((s) => (s.durationMs / 1000).toFixed(1)),
    ),
    row(
      'hold requests/s (÷ bare booking holds/s under fixed load)',
      cells((s, r) => `${int(s.holdRequestsPerSecond)} (${ratio(s.holdRequestsPerSecond, bareRate(r))})`),
    ),
    row(
      'payments/s (no baseline pays)',
      cells((s) => int(s.paymentsPerSecond)),
    ),
    row(
      'holds made / hold requests',
      cells((s) => `${int(s.holds)} / ${int(s.holdAttempts)}`),
    ),
    row(
      'seats sold',
      cells((s) => `${s.soldSeats} of ${s.seats}`),
    ),
    row(
      'seat map p50 / p95 / p99 ms',
      cells((s) => triple(s.latency['seat map'])),
    ),
    row(
      'hold p50 / p95 / p99 ms (p50 ÷ bare booking under fixed load)',
      cells(
        (s, r) =>
          `${triple(s.latency.hold)} (${ratio(s.latency.hold?.p50 ?? Number.NaN, r.throughput.bare.hold?.p50 ?? 0)})`,
      ),
    ),
    row(
      'best-N holds: made / requests, requests/s',
      cells(
        (s) => `${int(s.bestHolds ?? 0)} / ${int(s.bestAttempts ?? 0)}, ${int(s.bestRequestsPerSecond ?? 0)}`,
      ),
    ),
    row(
      'best-N hold p50 / p95 / p99 ms (beside picked holds above)',
      cells((s) => triple(s.latency['best hold'])),
    ),
    row(
      'payment p50 / p95 / p99 ms',
      cells((s) => triple(s.latency.payment)),
    ),
    row(
      'sale opening → hold confirmed, p50 / p99 ms',
      cells((s) => lag(s.timeToHold)),
    ),
    row(
      "live-update lag from the server's commit (committedAt), p50 / p99 ms",
      cells((s) => `${lag(s.lag.afterCommit)} (${int(s.lag.afterCommit.count)} samples)`),
    ),
    row(
      'live-update lag after the 201, p50 / p99 ms',
      cells((s) => `${lag(s.lag.afterAnswer)} (${int(s.lag.afterAnswer.count)} samples)`),
    ),
    row(
      'live-update lag after the request, p50 / p99 ms',
      cells((s) => lag(s.lag.afterRequest)),
    ),
    row(
      'fan-out, first → last watcher, p50 / p99 ms',
      cells((s) => lag(s.lag.fanOut)),
    ),
    row(
      'a live message: server CPU µs per watcher (a batch to all of them, ms)',
      cells(
        (_, r) =>
          `${fixed(r.fanOut.serverUsPerMessage, 1)} (${fixed((r.fanOut.serverUsPerMessage * r.fanOut.watchers) / 1000, 1)} ms to ${int(r.fanOut.watchers)})`,
      ),
    ),
    row(
      'answers: seat map',
      cells((s) => codes(s.codes['seat map'] ?? {})),
    ),
    row(
      'answers: hold',
      cells((s) => codes(s.codes.hold ?? {})),
    ),
    row(
      'answers: payment',
      cells((s) => codes(s.codes.payment ?? {})),
    ),
    row(
      'watchers: final map = real map',
      cells(
        (_, r) =>
          `${r.watchers.watchers - r.watchers.mismatched} of ${r.watchers.watchers} (gaps ${r.watchers.gaps}, resyncs ${r.watchers.resyncs})`,
      ),
    ),
    row(
      'load generator CPU (VUs and watchers), share of one core',
      cells((s) => percent(s.driverCpu)),
    ),
    row(
      'invariants',
      cells((_, r) => (r.violations.length ? `**FAILED**: ${r.violations.join('; ')}` : 'all hold')),
    ),
  ];
}

function capacityRows(runtimes: RuntimeResult[]): string[] {
  const cells = (format: (c: RuntimeResult['capacity']) => string) => runtimes.map((r) => format(r.capacity));
  return [
    row(
      'payments/s (approved ÷ window)',
      cells((c) => int(c.paymentsPerSecond)),
    ),
    row(
      'payments approved / sent (warm-up payments before the window, not counted)',
      cells((c) => `${int(c.approved)} / ${int(c.payments)} (${int(c.warmUp)})`),
    ),
    row(
      'payment p50 / p95 / p99 ms',
      cells((c) => triple(c.latency)),
    ),
    row(
      'Postgres round trips per payment (work behind included)',
      cells((c) => fixed(c.roundTripsPerPayment, 1)),
    ),
    row(
      'answers',
      cells((c) => codes(c.codes)),
    ),
    row(
      'load generator CPU, share of one core',
      cells((c) => percent(c.driverCpu)),
    ),
  ];
}

/** Seat-map reads and holds sent per second in the room-less sale: mean over its seconds, peak. */
function roomlessCoordinator(timeline: number[] | undefined): string {
  if (!timeline?.length) return '–';
  const busy = timeline.filter((count) => count > 0);
  const mean = busy.reduce((sum, count) => sum + count, 0) / Math.max(1, busy.length);
  return `${int(mean)} / ${int(Math.max(...timeline))}`;
}

/** Whether the busiest 5 s (the whole phase when shorter) stayed under the ceiling. */
function underCeiling(r: { mean: number; peak5s: number; ceiling: number }): string {
  const fiveSeconds = Number.isFinite(r.peak5s);
  const worst = fiveSeconds ? r.peak5s : r.mean;
  return `${worst <= r.ceiling ? 'under' : '**over**'} it over ${fiveSeconds ? 'the busiest 5 s' : 'the phase'}`;
}

/** The sale behind the waiting room, one column per runtime (also `npm run bench:waiting-room`'s table). */
export function roomRows(
  runtimes: { runtime: string; room?: RoomFigures; sale?: RuntimeResult['sale'] }[],
): string[] {
  const cells = (format: (room: RoomFigures) => string) =>
    runtimes.map((r) => (r.room ? format(r.room) : '–'));
  const seconds = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : '–');
  const rates = (r: { mean: number; peak5s: number; peak: number }) =>
    `${fixed(r.mean, 1)} / ${fixed(r.peak5s, 1)} / ${fixed(r.peak, 0)}`;
  return [
    row(
      '',
      runtimes.map((r) => r.runtime),
    ),
    `|---|${runtimes.map(() => '---').join('|')}|`,
    row(
      'members in the room, all joined before the opening (joins took)',
      cells((room) => `${int(room.members)} (${seconds(room.joinMs)})`),
    ),
    row(
      'room rate, admissions a minute (how it was chosen)',
      cells((room) => `${int(room.admitPerMinute)} (${room.rateChosen})`),
    ),
    row(
      "admissions/s by the room's clock: mean / busiest 5 s / busiest 1 s (rate)",
      cells((room) => `${rates(room.admissionsPerSecond)} (${fixed(room.admissionsPerSecond.rate, 1)})`),
    ),
    row(
      '**seat-coordinator requests/s (seat maps + holds sent): mean / busiest 5 s / busiest 1 s (ceiling)**',
      cells(
        (room) =>
          `**${rates(room.coordinatorRequestsPerSecond)}** (${fixed(room.coordinatorRequestsPerSecond.ceiling, 0)}: ${underCeiling(room.coordinatorRequestsPerSecond)})`,
      ),
    ),
    ...(runtimes.some((r) => r.sale)
      ? [
          row(
            'the room-less sale above, seat-coordinator requests/s: mean / busiest 1 s',
            runtimes.map((r) => (r.room && r.sale ? roomlessCoordinator(r.sale.coordinatorTimeline) : '–')),
          ),
        ]
      : []),
    row(
      'opening → admission p50 / p95 / max (admissions seen)',
      cells(
        (room) =>
          `${seconds(room.openingToAdmissionMs.p50)} / ${seconds(room.openingToAdmissionMs.p95)} / ${seconds(room.openingToAdmissionMs.max)} (${int(room.admitted)})`,
      ),
    ),
    row(
      'hold p50 / p95 / p99 ms, admitted members',
      cells((room) => triple(room.hold)),
    ),
    row(
      'seats sold',
      cells((room) => `${room.seatsSold} of ${room.seats}`),
    ),
    row(
      "fairness: Spearman's rho, join order against admission order (bound ±4/√n)",
      cells(
        (room) =>
          `${fixed(room.fairness.rho, 3)} (±${fixed(room.fairness.bound, 3)}, n ${int(room.fairness.earlyJoiners)}): ${room.fairness.fair ? 'fair' : '**not fair**'}`,
      ),
    ),
    row(
      'polls; the opening → the last member done',
      cells((room) => `${int(room.polls)}; ${seconds(room.durationMs)}`),
    ),
    row(
      'answers: queue',
      cells((room) => codes(room.codes.queue)),
    ),
    row(
      'answers: hold',
      cells((room) => codes(room.codes.hold)),
    ),
    row(
      'answers: payment',
      cells((room) => codes(room.codes.payment)),
    ),
    row(
      'checks (fairness, admissions honoured, sold seats in Postgres)',
      cells((room) => (room.violations.length ? `**FAILED**: ${room.violations.join('; ')}` : 'all hold')),
    ),
  ];
}

function memoryRows(runtimes: RuntimeResult[]): string[] {
  const mib = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)}`);
  return [
    row(
      'no-op / baseline booking',
      runtimes.map((r) => `${mib(r.peakMemoryMiB.noop)} / ${mib(r.peakMemoryMiB.bare)}`),
    ),
    row(
      'Marquee: hold path and sale / payment capacity and waiting room',
      runtimes.map((r) => `${mib(r.peakMemoryMiB.marquee)} / ${mib(r.peakMemoryMiB.capacity)}`),
    ),
  ];
}

export function markdown(report: RunReport): string {
  const { machine, options, runtimes } = report;
  const header = row(
    '',
    runtimes.map((r) => r.runtime),
  );
  const rule = `|---|${runtimes.map(() => '---').join('|')}|`;
  return [
    '# Marquee sale-opening benchmark',
    '',
    `${report.startedAt}, \`${report.command}\`, ${Math.round(report.durationSeconds)} s in all.`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM; Node ${machine.node}, workerd ${machine.workerd}, Redis ${machine.redis}, Postgres ${machine.postgres}. Load average (1 min) during the run: ${machine.load.min.toFixed(2)}–${machine.load.max.toFixed(2)}, mean ${machine.load.mean.toFixed(2)}. A new Postgres connection (connect and one query, one at a time, before the run): ${machine.postgresConnectMs.toFixed(1)} ms.`,
    '',
    `## Hold path under fixed load (${options.connections} connections, ${options.durationSeconds} s each)`,
    '',
    'Each connection holds one seat and gives it back, over and over, as its own member.',
    '',
    header,
    rule,
    ...throughputRows(runtimes),
    '',
    `## Sale opening (${options.users} users, ${options.watchers} watchers, 200 seats, at most ${options.pool} seat-map/hold requests and ${options.paymentPool} payments in flight)`,
    '',
    header,
    rule,
    ...saleRows(runtimes),
    '',
    `## Payment capacity (${options.capacityPayments} seats held beforehand, each paid once, ${options.paymentPool} payments in flight)`,
    '',
    "This is the capacity figure: payments as fast as the server takes them. Before the window, as many holds as are in flight (another member each) are paid and not counted, so that the server's Postgres connections, their prepared statements and its code are warm, as they are a minute into a sale; the capacity of a cold server is lower (a new Postgres session plans each statement against cold caches). The sale's payments/s is bounded by how fast its VUs get holds and by the mix of cards. On Workers each payment opens a Postgres connection of its own; the relay keeps the sessions behind them and hands each on, reset, to the next (as Hyperdrive does on Cloudflare), so a payment does not pay for a new Postgres connection (the machine line above) unless the relay has none left idle. With `BENCH_HYPERDRIVE=1` (Miniflare's local Hyperdrive, which does not pool) it does.",
    '',
    header,
    rule,
    ...capacityRows(runtimes),
    '',
    ...(options.room
      ? [
          `## Sale behind the waiting room (${int(options.room.users)} members join before the opening, ${runtimes.find((r) => r.room)?.room?.seats ?? '–'} seats, one seat each)`,
          '',
          "The same screening size as the sale above, on the payment-capacity server (holds last 600 s there). Every member joins the room, then asks as `pollAfterSeconds` says; an admitted member reads the seat map, holds one seat with its Admission-Token (three tries at most) and pays. The ceiling is the room's rate a second × 6 (a seat-map read and a hold per try): what the room lets reach the seat coordinator at most. Admission times are the room's own (admittedUntil − ADMISSION_SECONDS); members stop asking once a seat map shows no seat left, so only admissions seen by then count.",
          '',
          ...roomRows(runtimes),
          '',
        ]
      : []),
    '## Peak resident memory of each server process, MiB',
    '',
    "Linux's VmHWM of the process: for Workers the whole workerd process (every isolate, the runtime itself), for Node the Marquee process. A Worker isolate may use 128 MB on Cloudflare.",
    '',
    header,
    rule,
    ...memoryRows(runtimes),
    '',
    'Latencies are from the driver (request sent → answer read). Live-update lag, per seat, status and occurrence (HOLD and RESERVED), on one clock: a change is committed after its request was sent and before its 201 was read, so the lag lies between "after the 201" (negative when the push overtook the HTTP answer) and "after the request". Fan-out: the spread of one change\'s arrival over all watchers.',
    '',
    '## Pieces of the hold path, timed alone (this process, Node; µs per call)',
    '',
    '| JWT verify, remembered token | JWT verify, first sight (jose, HS256) | zod: hold body | decide() + adopt(): a hold and its release, 200 seats, 50 other holds (as both coordinators run them) |',
    '|---|---|---|---|',
    `| ${report.pieces.jwtVerify.toFixed(1)} | ${report.pieces.jwtVerifyFirst.toFixed(0)} | ${report.pieces.zodHoldBody.toFixed(1)} | ${report.pieces.decideAndAdopt.toFixed(1)} |`,
    '',
  ].join('\n');
}

export async function writeReport(outDir: string, report: RunReport): Promise<string> {
  const text = markdown(report);
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'results.md'), text);
  return text;
}
