// The cinema's time zone, asked of the API once (GET /api/theaters names it on every theater): the
// page writes every day and time in it, so a browser in New York sees Seoul's "today" and 19:00.
import { api } from './api/client.ts';
import type { Page, Theater } from './api/types.ts';
import { setTimeZone, timeZone } from './format.ts';

export async function loadTimeZone(): Promise<string> {
  const { items } = await api<Page<Theater>>('/api/theaters?limit=1');
  // No theater yet: nothing has a time to show, and the browser's own zone does no harm.
  if (items[0]) setTimeZone(items[0].timeZone);
  return timeZone();
}
