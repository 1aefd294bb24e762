// The driver's HTTP client: Marquee's public API over one undici connection pool, every call timed
// and recorded (endpoint, start, end, status, problem code). At most `connections` calls are in
// flight; a call's clock starts when it gets a slot, so latencies are the server's answer times,
// not the driver's own queue. Times are this process's performance.now(), the clock the watchers
// stamp live messages with.
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, request } from 'undici';

export type Endpoint = 'seat map' | 'hold' | 'release' | 'best hold' | 'payment' | 'queue';

export interface Sample {
  endpoint: Endpoint;
  start: number;
  end: number;
  status: number;
  /** The problem+json code, or the client error's code (status 0) when no answer came. */
  code?: string;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  code?: string;
  start: number;
  end: number;
}

/** A hold's 201 body, or (on 409 SEAT_NOT_AVAILABLE) the seats that were taken. */
export interface HoldBody {
  holdToken: string;
  seatIds: string[];
  expiresAt: string;
  unavailableSeatIds?: string[];
}

export interface SeatMapBody {
  version: number;
  seats: { seatId: string; status: string }[];
}

/** A waiting-room ticket: WAITING with its poll interval, or ADMITTED with the admission. */
export interface QueueTicketBody {
  ticketId: string;
  status: 'WAITING' | 'ADMITTED' | 'EXPIRED';
  pollAfterSeconds?: number;
  admissionToken?: string;
  admittedUntil?: string;
}

export const CARDS = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  timeout: '4000000000009995',
} as const;

interface CallInit {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class Api {
  readonly baseUrl: string;
  readonly samples: Sample[] = [];
  /** Requests sent and not answered yet, per endpoint (drills strike while payments are here). */
  readonly inFlight: Record<Endpoint, number> = {
    'seat map': 0,
    hold: 0,
    release: 0,
    'best hold': 0,
    payment: 0,
    queue: 0,
  };
  readonly #agent: Agent;
  readonly #slots: LimitFunction;
  readonly #paymentSlots: LimitFunction;

  /**
   * `connections` requests (seat maps, holds) and `paymentConnections` payments in flight at most.
   * Payments have slots of their own: a VU pays right after its hold, as a person with a
   * connection of their own would, not after every other VU's seat-map read queued before it.
   */
  constructor(baseUrl: string, connections = 64, paymentConnections = 32) {
    this.baseUrl = baseUrl;
    this.#agent = new Agent({
      connections: connections + paymentConnections,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    this.#slots = pLimit(connections);
    this.#paymentSlots = pLimit(paymentConnections);
  }

  seatMap(screeningId: string): Promise<Reply<SeatMapBody>> {
    return this.#call('seat map', 'GET', `/api/screenings/${screeningId}/seats`);
  }

  /** `headers`: the `Admission-Token` of a sale behind a waiting room. */
  hold(
    token: string,
    screeningId: string,
    seatIds: string[],
    headers?: Record<string, string>,
  ): Promise<Reply<HoldBody>> {
    return this.#call('hold', 'POST', `/api/screenings/${screeningId}/holds`, {
      token,
      body: { seatIds },
      headers,
    });
  }

  /** Gives a hold back (204). */
  release(token: string, screeningId: string, holdToken: string): Promise<Reply> {
    return this.#call('release', 'DELETE', `/api/screenings/${screeningId}/holds/${holdToken}`, { token });
  }

  /** Joins the screening's waiting room (201, or 200 with the ticket already held). */
  joinQueue(token: string, screeningId: string): Promise<Reply<QueueTicketBody>> {
    return this.#call('queue', 'POST', `/api/screenings/${screeningId}/queue`, { token });
  }

  queueTicket(token: string, screeningId: string, ticketId: string): Promise<Reply<QueueTicketBody>> {
    return this.#call('queue', 'GET', `/api/screenings/${screeningId}/queue/${ticketId}`, { token });
  }

  /** Best available: the coordinator chooses `count` seats together. */
  holdBest(token: string, screeningId: string, count: number): Promise<Reply<HoldBody>> {
    return this.#call('best hold', 'POST', `/api/screenings/${screeningId}/holds`, {
      token,
      body: { best: { count } },
    });
  }

  pay(
    token: string,
    key: string,
    body: { holdToken: string; screeningId: string; cardNumber: string },
    options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    return this.#call('payment', 'POST', '/api/payments', {
      token,
      body: { ...body, method: 'CARD' },
      headers: { 'idempotency-key': key, ...options.headers },
      signal: options.signal,
    });
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  #call<T>(
    endpoint: Endpoint,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: CallInit = {},
  ): Promise<Reply<T>> {
    const slots = endpoint === 'payment' ? this.#paymentSlots : this.#slots;
    return slots(() => this.#send<T>(endpoint, method, path, init));
  }

  async #send<T>(
    endpoint: Endpoint,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: CallInit,
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const start = performance.now();
    this.inFlight[endpoint]++;
    let reply: Reply<T>;
    try {
      const response = await request(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        dispatcher: this.#agent,
        signal: init.signal,
      });
      const text = await response.body.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const code = (body as { code?: unknown } | undefined)?.code;
      reply = {
        status: response.statusCode,
        body: body as T,
        code: typeof code === 'string' ? code : undefined,
        start,
        end: performance.now(),
      };
    } catch (error) {
      // undici's errors carry a string code; an aborted request is a DOMException (numeric code).
      const { code: raw, name } = error as { code?: unknown; name?: string };
      const code = typeof raw === 'string' ? raw : (name ?? 'Error');
      reply = { status: 0, body: undefined as T, code, start, end: performance.now() };
    }
    this.inFlight[endpoint]--;
    this.samples.push({ endpoint, start, end: reply.end, status: reply.status, code: reply.code });
    return reply;
  }
}
