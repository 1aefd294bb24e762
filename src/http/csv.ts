// CSV answers (RFC 4180) for reports asked for with `Accept: text/csv`: a header row, then one line
// per item, CRLF line ends. Text that a spreadsheet would run as a formula (=, +, -, @) is prefixed
// with an apostrophe (OWASP, CSV injection): a movie title is typed in by people.
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

function wantsCsv(c: Context): boolean {
  const chosen = accepts(c, {
    header: 'Accept',
    supports: ['application/json', 'text/csv'],
    default: 'application/json',
  });
  return chosen === 'text/csv';
}

function cell(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function toCsv<T extends object>(columns: (keyof T & string)[], rows: readonly T[]): string {
  const lines = [
    columns.join(','),
    ...rows.map((row) => columns.map((column) => cell(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A CSV download named after the report and its range. */
function csvResponse(c: Context, name: string, csv: string): Response {
  return c.body(csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.csv"`,
  });
}

/**
 * A report's list: `{items}` as JSON, or as a CSV download named `name` with `columns` when the
 * client asks for text/csv. The answer varies with Accept, and says so.
 */
export function itemsAnswer<T extends object>(
  c: Context,
  name: string,
  columns: (keyof T & string)[],
  items: readonly T[],
): Response {
  c.header('vary', 'Accept');
  return wantsCsv(c) ? csvResponse(c, name, toCsv(columns, items)) : c.json({ items }, 200);
}
