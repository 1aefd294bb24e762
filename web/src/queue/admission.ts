// A screening's waiting-room ticket on this device, kept in localStorage so the queue view survives
// a reload (and a new tab), and the admission the seat map sends with a hold.
import type { QueueTicket } from '../api/types.ts';

export interface KeptTicket {
  ticketId: string;
  /** The first position this device saw, for the progress bar. */
  firstPosition?: number;
  admissionToken?: string;
  admittedUntil?: string;
}

const key = (screeningId: string) => `marquee.queue.${screeningId}`;

export function keptTicket(screeningId: string): KeptTicket | undefined {
  try {
    const stored = localStorage.getItem(key(screeningId));
    return stored ? (JSON.parse(stored) as KeptTicket) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps what the API said about the ticket; the first position seen is remembered. */
export function keepTicket(screeningId: string, ticket: QueueTicket): KeptTicket {
  const before = keptTicket(screeningId);
  const kept: KeptTicket = {
    ticketId: ticket.ticketId,
    firstPosition: before?.ticketId === ticket.ticketId ? before.firstPosition : undefined,
  };
  if (kept.firstPosition === undefined && typeof ticket.position === 'number')
    kept.firstPosition = ticket.position;
  if (ticket.admissionToken) kept.admissionToken = ticket.admissionToken;
  if (ticket.admittedUntil) kept.admittedUntil = ticket.admittedUntil;
  try {
    localStorage.setItem(key(screeningId), JSON.stringify(kept));
  } catch {
    // storage full or off: the view still works until a reload
  }
  return kept;
}

/** The live admission for this screening, if this device has one. */
export function liveAdmission(screeningId: string, now = Date.now()): string | undefined {
  const kept = keptTicket(screeningId);
  if (!kept?.admissionToken || !kept.admittedUntil) return undefined;
  return Date.parse(kept.admittedUntil) > now ? kept.admissionToken : undefined;
}

/** The header a hold carries on a screening with a waiting room. */
export function admissionHeaders(screeningId: string): Record<string, string> {
  const token = liveAdmission(screeningId);
  return token ? { 'admission-token': token } : {};
}
