// The sale opening as a picture: requests answered per second and their p95 latency through the
// sale, one line per runtime. Drawn as SVG and rendered to PNG by @resvg/resvg-js (its renderer
// ships in the npm package; no browser, no native download).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { RunReport } from './report.ts';
import type { SecondOfRun } from './support/stats.ts';

const WIDTH = 960;
const PANEL = { left: 70, right: 20, height: 200 };
const COLORS = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9'];

interface Panel {
  title: string;
  top: number;
  value: (second: SecondOfRun) => number;
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? value;
}

function panel(spec: Panel, series: { name: string; timeline: SecondOfRun[] }[]): string {
  const seconds = Math.max(1, ...series.map((s) => s.timeline.length));
  const max = niceMax(
    Math.max(0, ...series.flatMap((s) => s.timeline.map(spec.value).filter(Number.isFinite))),
  );
  const width = WIDTH - PANEL.left - PANEL.right;
  const x = (second: number) => PANEL.left + (second / Math.max(1, seconds - 1)) * width;
  const y = (value: number) => spec.top + PANEL.height - (value / max) * PANEL.height;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const at = y(share * max);
    return `<line x1="${PANEL.left}" x2="${PANEL.left + width}" y1="${at}" y2="${at}" stroke="#dee2e6"/><text x="${PANEL.left - 8}" y="${at + 4}" text-anchor="end">${Math.round(share * max)}</text>`;
  });
  const lines = series.map((s, index) => {
    const points = s.timeline
      .filter((second) => Number.isFinite(spec.value(second)))
      .map((second) => `${x(second.second).toFixed(1)},${y(spec.value(second)).toFixed(1)}`)
      .join(' ');
    return `<polyline fill="none" stroke="${COLORS[index % COLORS.length]}" stroke-width="2" points="${points}"/>`;
  });
  const ticks = Array.from({ length: seconds }, (_, second) => second)
    .filter((second) => second % Math.max(1, Math.ceil(seconds / 10)) === 0)
    .map(
      (second) =>
        `<text x="${x(second)}" y="${spec.top + PANEL.height + 16}" text-anchor="middle">${second}</text>`,
    );
  return [
    `<text x="${PANEL.left}" y="${spec.top - 10}" font-size="14" font-weight="bold">${spec.title}</text>`,
    ...grid,
    ...lines,
    ...ticks,
  ].join('\n');
}

export function chartSvg(report: RunReport): string {
  const series = report.runtimes.map((r) => ({ name: r.runtime, timeline: r.sale.timeline }));
  const height = 40 + 2 * (PANEL.height + 60) + 30;
  const legend = series.map(
    (s, index) =>
      `<rect x="${PANEL.left + index * 220}" y="${height - 22}" width="14" height="4" fill="${COLORS[index % COLORS.length]}"/><text x="${PANEL.left + index * 220 + 20}" y="${height - 16}">${s.name}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#212529">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    panel(
      {
        title: `Sale opening, ${report.options.users} users: requests answered per second`,
        top: 40,
        value: (s) => s.requests,
      },
      series,
    ),
    panel(
      {
        title: 'p95 latency of the requests answered in that second, ms',
        top: 40 + PANEL.height + 60,
        value: (s) => s.p95,
      },
      series,
    ),
    `<text x="${WIDTH - PANEL.right}" y="${height - 16}" text-anchor="end">seconds since the sale opened</text>`,
    ...legend,
    '</svg>',
  ].join('\n');
}

export async function writeChart(outDir: string, report: RunReport): Promise<string> {
  const svg = chartSvg(report);
  await writeFile(join(outDir, 'chart.svg'), svg);
  const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
  const file = join(outDir, 'chart.png');
  await writeFile(file, png);
  return file;
}
