// The page's hold calls: take seats (chosen on the map, or the best N the server picks), ask for more
// time, read the person's holds. Each remembers the hold with its deadline on this device's clock.
import { api } from './api/client.ts';
import type { Hold } from './api/types.ts';
import { type KnownHold, rememberHold } from './memory.ts';
import { admissionHeaders } from './queue/admission.ts';

export interface BestRequest {
  count: number;
  types?: string[];
  wheelchair?: number;
}

const holdsOf = (screeningId: string) => `/api/screenings/${encodeURIComponent(screeningId)}/holds`;

/** POST …/holds with `{seatIds}` or `{best}` (API.md, Additions: Best available). */
export function holdSeats(screeningId: string, body: { seatIds: string[] } | { best: BestRequest }) {
  return remembered(holdsOf(screeningId), body, admissionHeaders(screeningId));
}

/** POST …/holds/:holdToken/extend (API.md, Additions: Hold extension). */
export const extendHold = (hold: Pick<Hold, 'screeningId' | 'holdToken'>) =>
  remembered(`${holdsOf(hold.screeningId)}/${encodeURIComponent(hold.holdToken)}/extend`);

async function remembered(
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<KnownHold> {
  let serverDate: string | null = null;
  const hold = await api<Hold>(path, {
    method: 'POST',
    auth: true,
    body,
    headers,
    onResponse: (response) => {
      serverDate = response.headers.get('date');
    },
  });
  return rememberHold(hold, serverDate);
}

/** The person's live holds (of one screening, if given), each remembered. */
export async function myHolds(screeningId?: string): Promise<KnownHold[]> {
  let serverDate: string | null = null;
  const { items } = await api<{ items: Hold[] }>('/api/me/holds', {
    auth: true,
    onResponse: (response) => {
      serverDate = response.headers.get('date');
    },
  });
  return items
    .filter((hold) => !screeningId || hold.screeningId === screeningId)
    .map((hold) => rememberHold(hold, serverDate));
}
