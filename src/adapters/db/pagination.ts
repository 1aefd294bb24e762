// Keyset pagination for every list: the cursor is the last row's sort key and id, opaque to
// clients (base64url JSON), so pages stay stable while rows are added in between.
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../domain/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Cursor {
  key: string;
  id: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.key, cursor.id]));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A cursor this API did not write is the caller's mistake: 400, before any query runs. */
export function decodeCursor(text: string): Cursor {
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) throw new Error('not base64url');
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
    );
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the one answer below
  }
  return malformed();
}

function malformed(): never {
  throw new AppError('VALIDATION_FAILED', 'the cursor is malformed', {
    errors: [{ path: 'cursor', message: 'not a cursor this API returned' }],
  });
}

export type KeyType = 'text' | 'timestamptz';
export type Direction = 'asc' | 'desc';

/** Rows strictly after the cursor in (sortKey, id) order; undefined when there is no cursor. */
export function afterCursor(
  sortKey: AnyColumn | SQL,
  id: AnyColumn,
  cursorText: string | undefined,
  keyType: KeyType,
  direction: Direction,
): SQL | undefined {
  if (cursorText === undefined) return undefined;
  const cursor = decodeCursor(cursorText);
  if (keyType === 'timestamptz' && Number.isNaN(Date.parse(cursor.key))) malformed();
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  return sql`(${sortKey}, ${id}) ${op} (cast(${cursor.key} as ${sql.raw(keyType)}), cast(${cursor.id} as uuid))`;
}

/**
 * A timestamp as the cursor key, to the microsecond: a JavaScript Date keeps only milliseconds,
 * and rows inside one millisecond would be skipped.
 */
export const timestampKey = (column: AnyColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Turns `limit + 1` fetched rows into a page; the extra row only says whether more follow. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => Cursor,
  view: (row: R) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}
