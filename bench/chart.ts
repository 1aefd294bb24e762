// The sale opening as a picture: requests answered per second and their p95 latency through the
// sale, one line per runtime; then what reached the seat coordinator each second with and without
// the waiting room, with the ceiling the room's rate sets. Drawn as SVG and rendered to PNG by
// @resvg/resvg-js (its renderer ships in the npm package; no browser, no native download).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { RunReport } from './report.ts';

const WIDTH = 960;
const PANEL = { left: 70, right: 20, height: 200, gap: 70 };
const COLORS = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9'];
const DASH = { solid: '', dashed: '7 4', dotted: '2 4' } as const;

interface Series {
  color: string;
  dash: keyof typeof DASH;
  /** One value a second from second 0; NaN where there is none. */
  values: number[];
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? value;
}

function panel(title: string, top: number, series: Series[]): string {
  const seconds = Math.max(2, ...series.map((s) => s.values.length));
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const width = WIDTH - PANEL.left - PANEL.right;
  const x = (second: number) => PANEL.left + (second / (seconds - 1)) * width;
  const y = (value: number) => top + PANEL.height - (value / max) * PANEL.height;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const at = y(share * max);
    return `<line x1="${PANEL.left}" x2="${PANEL.left + width}" y1="${at}" y2="${at}" stroke="#dee2e6"/><text x="${PANEL.left - 8}" y="${at + 4}" text-anchor="end">${Math.round(share * max)}</text>`;
  });
  const lines = series.map((s) => {
    const points = s.values
      .map((value, second) =>
        Number.isFinite(value) ? `${x(second).toFixed(1)},${y(value).toFixed(1)}` : '',
      )
      .filter(Boolean)
      .join(' ');
    const dash = DASH[s.dash] ? ` stroke-dasharray="${DASH[s.dash]}"` : '';
    // A short series (a small run's sale lasts a second or two) gets its points marked.
    const marks =
      s.dash === 'dotted' || s.values.length > 15
        ? ''
        : s.values
            .map((value, second) =>
              Number.isFinite(value)
                ? `<circle cx="${x(second).toFixed(1)}" cy="${y(value).toFixed(1)}" r="3" fill="${s.color}"/>`
                : '',
            )
            .join('');
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${points}"/>${marks}`;
  });
  const ticks = Array.from({ length: seconds }, (_, second) => second)
    .filter((second) => second % Math.max(1, Math.ceil(seconds / 10)) === 0)
    .map(
      (second) =>
        `<text x="${x(second)}" y="${top + PANEL.height + 16}" text-anchor="middle">${second}</text>`,
    );
  return [
    `<text x="${PANEL.left}" y="${top - 10}" font-size="14" font-weight="bold">${title}</text>`,
    ...grid,
    ...lines,
    ...ticks,
    `<text x="${WIDTH - PANEL.right}" y="${top + PANEL.height + 32}" text-anchor="end">seconds since the sale opened</text>`,
  ].join('\n');
}

function legendItem(x: number, y: number, color: string, dash: keyof typeof DASH, label: string): string {
  const pattern = DASH[dash] ? ` stroke-dasharray="${DASH[dash]}"` : '';
  return `<line x1="${x}" x2="${x + 28}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${pattern}/><text x="${x + 34}" y="${y}">${label}</text>`;
}

export function chartSvg(report: RunReport): string {
  const { runtimes } = report;
  const color = (index: number) => COLORS[index % COLORS.length] as string;
  const withRoom = runtimes.some((r) => r.room);
  const panels = withRoom ? 3 : 2;
  const top = (index: number) => 40 + index * (PANEL.height + PANEL.gap);
  const legendTop = top(panels) - 10;
  const height = legendTop + 20 * runtimes.length;
  const sale = (value: (second: { requests: number; p95: number }) => number) =>
    runtimes.map((r, index) => ({
      color: color(index),
      dash: 'solid' as const,
      values: r.sale.timeline.map(value),
    }));
  const parts = [
    panel(
      `Sale opening, ${report.options.users} users: requests answered per second`,
      top(0),
      sale((s) => s.requests),
    ),
    panel(
      'p95 latency of the requests answered in that second, ms',
      top(1),
      sale((s) => s.p95),
    ),
  ];
  // One legend row per runtime: its sale, and behind the room its dashed and dotted lines.
  const legend = runtimes.flatMap((r, index) => {
    const y = legendTop + index * 20;
    const items = [legendItem(PANEL.left, y, color(index), 'solid', `${r.runtime}: the sale, no room`)];
    if (r.room) {
      items.push(
        legendItem(PANEL.left + 300, y, color(index), 'dashed', `${r.runtime}: behind the waiting room`),
        legendItem(PANEL.left + 600, y, color(index), 'dotted', `${r.runtime}: the room's ceiling`),
      );
    }
    return items;
  });
  if (withRoom) {
    // The ceilings run the panel's whole width.
    const length = Math.max(
      ...runtimes.flatMap((r) => [
        r.sale.coordinatorTimeline.length,
        r.room?.coordinatorTimeline.length ?? 0,
      ]),
    );
    const series: Series[] = runtimes.flatMap((r, index) => {
      if (!r.room) return [];
      return [
        { color: color(index), dash: 'solid', values: r.sale.coordinatorTimeline },
        { color: color(index), dash: 'dashed', values: r.room.coordinatorTimeline },
        {
          color: color(index),
          dash: 'dotted',
          values: Array.from({ length }, () => r.room?.coordinatorRequestsPerSecond.ceiling ?? Number.NaN),
        },
      ];
    });
    const users = report.options.room?.users ?? 0;
    parts.push(
      panel(
        `Seat maps and holds sent to the seat coordinator per second: ${report.options.users} users, no room; ${users.toLocaleString('en-US')} behind the room`,
        top(2),
        series,
      ),
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#212529">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
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
