// The waiting-room contract against the QueueRoom Durable Object, and its alarm: it admits while
// people wait, with nobody asking.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DurableObjectWaitingRoom } from '../../src/adapters/durable-object/waiting-room.ts';
import { waitingRoomContract } from '../contract/waiting-room.contract.ts';

waitingRoomContract('Durable Object', { store: () => new DurableObjectWaitingRoom(env.QUEUE_ROOM) });

describe('the QueueRoom alarm', () => {
  it('draws and admits at the opening when nobody calls', async () => {
    const store = new DurableObjectWaitingRoom(env.QUEUE_ROOM);
    const screeningId = crypto.randomUUID();
    const salesOpenAt = Date.now() + 300;
    const call = {
      screeningId,
      setup: { salesOpenAt, admitPerMinute: 60 },
      forgetAt: Date.now() + 3_600_000,
    };
    const { ticket } = await store.join(call, crypto.randomUUID());
    const stub = env.QUEUE_ROOM.get(env.QUEUE_ROOM.idFromName(screeningId));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, salesOpenAt - Date.now()) + 20));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const seen = await runInRoom(stub);
    expect(seen.room).toMatchObject({ drawn: true, admitted: 1 });
    expect(seen.tickets).toEqual([{ ticket_id: ticket.ticketId, admitted: 1 }]);
  });
});

/** The room's storage as the alarm left it, read without calling the room (a call would advance it). */
async function runInRoom(stub: DurableObjectStub) {
  const { runInDurableObject } = await import('cloudflare:test');
  return runInDurableObject(stub, (_instance, state) => ({
    room: JSON.parse(
      state.storage.sql.exec<{ state: string }>('SELECT state FROM room').one().state,
    ) as unknown,
    tickets: state.storage.sql
      .exec<{ ticket_id: string; admitted: number }>(
        'SELECT ticket_id, admitted_at IS NOT NULL AS admitted FROM tickets',
      )
      .toArray(),
  }));
}
