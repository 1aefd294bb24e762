// Baseline: the barest correct seat booking a Durable Object allows. One object per screening
// checks and books seats in its SQLite, all or nothing, with no auth, no validation beyond shape,
// no TTL, no versions and no broadcast. Same request pattern as Marquee's holds: POST a hold of
// `seatIds` for the user named in `x-user`, DELETE it by its token.
import { DurableObject } from 'cloudflare:workers';
import { Hono } from 'hono';

interface Env {
  BARE_BOOKING: DurableObjectNamespace<BareBooking>;
}

export class BareBooking extends DurableObject<Env> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(
      'create table if not exists seats (seat_id text primary key, owner text not null, token text not null)',
    );
  }

  /** Synchronous from read to write: nothing can interleave. */
  book(seatIds: string[], owner: string): { token: string } | { taken: string[] } {
    const taken = seatIds.filter(
      (seatId) => this.#sql.exec('select 1 from seats where seat_id = ?', seatId).toArray().length > 0,
    );
    if (taken.length > 0) return { taken };
    const token = crypto.randomUUID();
    for (const seatId of seatIds)
      this.#sql.exec('insert into seats (seat_id, owner, token) values (?, ?, ?)', seatId, owner, token);
    return { token };
  }

  release(token: string, owner: string): boolean {
    return this.#sql.exec('delete from seats where token = ? and owner = ?', token, owner).rowsWritten > 0;
  }
}

const app = new Hono<{ Bindings: Env }>();
const actor = (env: Env, screeningId: string) =>
  env.BARE_BOOKING.get(env.BARE_BOOKING.idFromName(screeningId));

app.post('/api/screenings/:id/holds', async (c) => {
  const { seatIds } = await c.req.json<{ seatIds: string[] }>();
  const result = await actor(c.env, c.req.param('id')).book(seatIds, c.req.header('x-user') ?? '');
  return 'token' in result ? c.json({ holdToken: result.token, seatIds }, 201) : c.json(result, 409);
});

app.delete('/api/screenings/:id/holds/:token', async (c) => {
  const released = await actor(c.env, c.req.param('id')).release(
    c.req.param('token'),
    c.req.header('x-user') ?? '',
  );
  return c.body(null, released ? 204 : 404);
});

export default app;
