// Fixed-concurrency, fixed-duration load with autocannon: the same request pattern against a
// runtime's no-op route, its barest booking baseline and Marquee's hold path. The booking pattern
// is a cycle per connection: hold one seat (POST), then give it back (DELETE by its token), so the
// map never fills and every hold can succeed; each connection books a seat of its own member.
// Besides what the load generator saw, each measurement says what the server's own process spent a
// request (its CPU time from /proc over the window ÷ the requests answered): a figure the load
// generator's own limits do not move.
import autocannon from 'autocannon';
import { cpuMeter } from './machine.ts';
import { type Server, serverCpuMeter } from './runtimes/server.ts';
import { type Summary, summarize } from './support/stats.ts';

export interface BookingTarget {
  screeningId: string;
  seatIds: string[];
  /** Headers that say who books seat `index` (a bearer token for Marquee, x-user for baselines). */
  who(index: number): Record<string, string>;
}

export interface ThroughputResult {
  requestsPerSecond: number;
  /** Successful holds per second (booking pattern only). */
  holdsPerSecond?: number;
  latency: Summary;
  hold?: Summary;
  release?: Summary;
  statusCodes: Record<string, number>;
  errors: number;
  /** The load generator's CPU (autocannon, in this process) as a share of one core. */
  driverCpu: number;
  /**
   * The server process's CPU per request answered, µs (user and system; workerd's whole process on
   * Workers, the Node process alone on Node: not Redis's or Postgres's). NaN where it is not known.
   */
  serverCpuUs: number;
}

/** The server under load: where it listens and what CPU its process has used. */
export type Target = Pick<Server, 'url' | 'cpuMs'>;

export interface LoadShape {
  connections: number;
  durationSeconds: number;
}

/** One fixed request, over and over: the no-op route, or Marquee's front half of a hold. */
export async function measureRequest(
  server: Target,
  request: { path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  shape: LoadShape,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  const result = await run(
    server,
    {
      url: `${server.url}${request.path}`,
      ...request,
      connections: shape.connections,
      duration: shape.durationSeconds,
    },
    (instance) =>
      instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime)),
  );
  return {
    requestsPerSecond: result.requests.total / result.duration,
    latency: summarize(latencies),
    statusCodes: statusCodes(result),
    errors: result.errors,
    driverCpu: result.driverCpu,
    serverCpuUs: result.serverCpuUs,
  };
}

interface Cycle {
  index?: number;
  token?: string;
  sentAt?: number;
}

export async function measureBooking(
  server: Target,
  target: BookingTarget,
  shape: LoadShape,
): Promise<ThroughputResult> {
  if (shape.connections > target.seatIds.length) throw new Error('more connections than seats to book');
  const free = target.seatIds.map((_, index) => index);
  const holds: number[] = [];
  const releases: number[] = [];
  let booked = 0;
  const path = `/api/screenings/${target.screeningId}/holds`;
  const result = await run(server, {
    url: server.url,
    connections: shape.connections,
    duration: shape.durationSeconds,
    requests: [
      {
        method: 'POST',
        setupRequest(request, context: Cycle) {
          const index = free.pop() as number;
          context.index = index;
          context.sentAt = performance.now();
          return {
            ...request,
            path,
            headers: { ...target.who(index), 'content-type': 'application/json' },
            body: JSON.stringify({ seatIds: [target.seatIds[index]] }),
          };
        },
        onResponse(status, body, context: Cycle) {
          holds.push(performance.now() - (context.sentAt ?? 0));
          if (status === 201) {
            booked++;
            context.token = (JSON.parse(body) as { holdToken: string }).holdToken;
          } else if (context.index !== undefined) free.push(context.index);
        },
      },
      {
        method: 'DELETE',
        setupRequest(request, context: Cycle) {
          // No hold to give back: start the cycle again (autocannon's documented reset).
          if (!context.token || context.index === undefined) return undefined as unknown as typeof request;
          context.sentAt = performance.now();
          return {
            ...request,
            path: `${path}/${context.token}`,
            headers: target.who(context.index),
            body: undefined,
          };
        },
        onResponse(_status, _body, context: Cycle) {
          releases.push(performance.now() - (context.sentAt ?? 0));
          if (context.index !== undefined) free.push(context.index);
        },
      },
    ],
  });
  const codes = statusCodes(result);
  return {
    requestsPerSecond: result.requests.total / result.duration,
    holdsPerSecond: booked / result.duration,
    latency: summarize([...holds, ...releases]),
    hold: summarize(holds),
    release: summarize(releases),
    statusCodes: codes,
    errors: result.errors,
    driverCpu: result.driverCpu,
    serverCpuUs: result.serverCpuUs,
  };
}

/**
 * autocannon's callback form, which also hands over the instance (for its events), with the CPU
 * this process and the server's used meanwhile.
 */
async function run(
  server: Target,
  options: autocannon.Options,
  watch: (instance: autocannon.Instance) => void = () => {},
): Promise<autocannon.Result & { driverCpu: number; serverCpuUs: number }> {
  const serverCpu = await serverCpuMeter(server);
  const cpu = cpuMeter();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    watch(autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
  });
  const driverCpu = cpu.share();
  const serverMs = await serverCpu();
  const answered = result.requests.total;
  return { ...result, driverCpu, serverCpuUs: answered > 0 ? (serverMs * 1000) / answered : Number.NaN };
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  );
}
