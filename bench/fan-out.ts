// What one live message costs the server: the same changes (a hold and its release, one request at
// a time) made twice on one screening, first with one socket following it and then with `watchers`
// more; the server's extra CPU over the messages the watchers were sent. This is the figure behind
// the sale's fan-out and live-update lag: a batch costs the server about this times its watchers,
// whatever else it has to do.
import WebSocket from 'ws';
import { type Server, serverCpuMeter } from './runtimes/server.ts';
import { Api } from './support/http.ts';
import { Watchers } from './watchers.ts';

export interface FanOutCost {
  watchers: number;
  /** Live batches sent with the watchers open (each one message to every socket). */
  batches: number;
  /**
   * The server's CPU per message sent to one socket, µs: NaN where its CPU cannot be read, or where
   * the watched half did not cost more than the other (with few watchers the messages are lost in
   * the noise of the rest: CI's 50 gave −114 µs).
   */
  serverUsPerMessage: number;
}

/** Hold and release pairs made in each half, after a few not counted. */
const CYCLES = 30;
const WARM_UP = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureFanOut(
  server: Server,
  screening: { screeningId: string; seatIds: string[] },
  token: string,
  watchers: number,
): Promise<FanOutCost> {
  const { screeningId } = screening;
  const live = `${server.url.replace(/^http/, 'ws')}/api/screenings/${screeningId}/live`;
  const api = new Api(server.url, 1, 1);
  await api.seatMap(screeningId); // loaded first
  // One socket counts the batches in both halves.
  let batches = 0;
  const counter = new WebSocket(live, { perMessageDeflate: false });
  counter.on('message', () => batches++);
  await new Promise((resolve, reject) => {
    counter.once('open', resolve);
    counter.once('error', reject);
  });

  const half = async (seatIds: string[]) => {
    await sleep(200); // what the socket opens left to do is done
    const [serverCpu, batchesBefore] = [await serverCpuMeter(server), batches];
    for (const seatId of seatIds) {
      const held = await api.hold(token, screeningId, [seatId]);
      if (held.status !== 201) throw new Error(`hold: ${held.status} ${held.code ?? ''}`);
      const released = await api.release(token, screeningId, held.body.holdToken);
      if (released.status !== 204) throw new Error(`release: ${released.status} ${released.code ?? ''}`);
    }
    // Until the counting socket has heard nothing for 300 ms: every batch is out (the watchers get
    // theirs alongside it).
    for (let seen = -1; seen !== batches; ) {
      seen = batches;
      await sleep(300);
    }
    return {
      batches: batches - batchesBefore,
      serverMs: await serverCpu(),
    };
  };

  try {
    await half(screening.seatIds.slice(0, WARM_UP)); // the client and the hold path warm
    const alone = await half(screening.seatIds.slice(WARM_UP, WARM_UP + CYCLES));
    const watching = await Watchers.open(live, watchers);
    try {
      const watched = await half(screening.seatIds.slice(WARM_UP + CYCLES, WARM_UP + 2 * CYCLES));
      // The same requests made the same changes: what the second half cost more is the messages.
      // (Not scaled by batches: alone, a change often shares a batch with the next, as it should.)
      const extraMs = watched.serverMs - alone.serverMs;
      return {
        watchers,
        batches: watched.batches,
        serverUsPerMessage: extraMs > 0 ? (extraMs * 1000) / (watched.batches * watchers) : Number.NaN,
      };
    } finally {
      watching.close();
    }
  } finally {
    counter.terminate();
    await api.close();
  }
}
