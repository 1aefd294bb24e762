// What every route can rely on: the settings, a database handle and the runtime's adapters.
// The runtime entry files (src/index.ts, src/entries/*) are the only places that choose adapters.
import type { Context } from 'hono';
import type { Database } from '../adapters/db/client.ts';
import type { Settings } from '../config/settings.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';
import type { RateLimiter } from '../ports/rate-limiter.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import type { WaitingRoomStore } from '../ports/waiting-room.ts';
import type { Faults } from '../services/faults.ts';

/** A database handle for one request: a fresh Pool on Workers, a shared one on Node and Deno. */
export interface DatabaseLease {
  db: Database;
  release(): Promise<void>;
}

export interface Runtime {
  name: 'workers' | 'node' | 'deno';
  settings: Settings;
  openDatabase(): DatabaseLease;
  seats: SeatCoordinator;
  /** Where screenings' waiting rooms keep their tickets (API.md, Waiting room). */
  waitingRoom: WaitingRoomStore;
  /** The payment gateway for one request, on that request's database. */
  paymentGateway(db: () => Database, faults: Faults): PaymentGateway;
  /** Answers a WebSocket upgrade for a screening's live seat map (API.md, Live seat map). */
  liveSeatMap(c: Context<AppEnv>, screeningId: string): Promise<Response>;
  /**
   * Rate limits answered at once from this isolate or process, reconciled in the background with a
   * count shared by the deployment (approximate across isolates/processes; docs/abuse-resistance.md).
   */
  rateLimiter: RateLimiter;
  /** Counters shared exactly by every isolate or process (awaited), for limits that must be exact. */
  exactRateLimiter: RateLimiter;
  /**
   * The caller's address as per-IP limits count it: CF-Connecting-IP on Workers, the socket address
   * elsewhere, X-Forwarded-For only with TRUST_PROXY (see clientIpFrom in client-ip.ts).
   */
  clientIp(c: Context<AppEnv>): string;
  /** SHA-256 in hex, synchronous, where the runtime has one (node:crypto); Workers use WebCrypto's. */
  sha256?(text: string): string;
  /** Extra /health components beside the database, e.g. the seat coordinator or Redis. */
  healthChecks?: Record<string, () => Promise<boolean>>;
  /**
   * Where the server writes each answer's request id and fixed secure headers itself before the app
   * runs (Node: on the outgoing message, far cheaper than hono's Headers there), the id it gave this
   * request, and the app sets neither (response-headers.ts); undefined for a request it wrote nothing
   * for (a WebSocket upgrade).
   */
  serverSetHeaders?: { requestId(c: Context<AppEnv>): string | undefined };
  /**
   * The request's body read by the server itself, at most `maxBytes` (undefined if it is larger),
   * where that is cheaper than the Request's stream (Node: straight from the incoming message).
   */
  readBody?(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array | undefined>;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    runtime: Runtime;
    settings: Settings;
    /** Opens the request's database lease on first use; released when the response is done. */
    db: () => Database;
  };
};
