// Percentiles and per-second series of the samples a run collected (milliseconds throughout).
import type { Sample } from './http.ts';

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles and the largest value; NaN when there is nothing to summarize. */
export function summarize(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: rank(100) };
}

export interface SecondOfRun {
  second: number;
  requests: number;
  p95: number;
}

/** Requests answered in each second of the run and their p95 latency, from `origin` on. */
export function perSecond(samples: Sample[], origin: number): SecondOfRun[] {
  const seconds: number[][] = [];
  for (const sample of samples) {
    const second = Math.max(0, Math.floor((sample.end - origin) / 1000));
    const latencies = seconds[second] ?? [];
    latencies.push(sample.end - sample.start);
    seconds[second] = latencies;
  }
  return Array.from(seconds, (latencies, second) => ({
    second,
    requests: latencies?.length ?? 0,
    p95: latencies ? summarize(latencies).p95 : Number.NaN,
  }));
}

/** Answers counted by `status code` ("409 SEAT_NOT_AVAILABLE", "0 ECONNRESET"). */
export function countByCode(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, code } of samples) {
    const key = code ? `${status} ${code}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
