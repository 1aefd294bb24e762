// Child process of startPgCounterProcess (pg-counter.ts): the round-trip counter in front of the
// Postgres at argv[2], away from the load generator's event loop. IPC: `ready` {value: its URL} once
// listening; `count` answered with {type: 'count', value}; `stop` closes it and exits.
import { startPgCounter } from './pg-counter.ts';

const counter = await startPgCounter(process.argv[2] ?? '');
const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', value: counter.url });
process.on('message', async (message: { type: string }) => {
  if (message.type === 'count') send({ type: 'count', value: await counter.roundTrips() });
  else if (message.type === 'stop') {
    await counter.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
