// The WebSocket the Postgres driver opens in a Worker: when the proxy closes it at once (here the
// relay, asked for an address it will not dial), a send after the close is dropped, where workerd's
// own WebSocket throws. The driver sends its buffered writes from a timer, so that throw was an
// uncaught exception in the isolate whenever a connection was refused (the health check with
// Postgres unreachable printed one in every run of this suite).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { droppingSendsOnceClosed } from '../../src/adapters/db/client.ts';

const refused = () => `ws://${(env as { PG_WS_PROXY: string }).PG_WS_PROXY}?address=127.0.0.1:1`;

async function closedBy(socket: WebSocket): Promise<WebSocket> {
  await new Promise((resolve) => socket.addEventListener('close', resolve));
  return socket;
}

describe("the Postgres driver's WebSocket", () => {
  it('drops a send after the proxy closed it', async () => {
    const socket = await closedBy(new (droppingSendsOnceClosed(WebSocket))(refused()));
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    expect(() => socket.send(new Uint8Array([88, 0, 0, 0, 4]))).not.toThrow();
  });

  it("is needed: workerd's own WebSocket throws from such a send", async () => {
    const socket = await closedBy(new WebSocket(refused()));
    expect(() => socket.send(new Uint8Array([88, 0, 0, 0, 4]))).toThrow(/after close/);
  });

  it('sends as the runtime does while open', async () => {
    const socket = new (droppingSendsOnceClosed(WebSocket))(refused());
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(() => socket.send(new Uint8Array([0]))).not.toThrow();
    await closedBy(socket);
  });
});
