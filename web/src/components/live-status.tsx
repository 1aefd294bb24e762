// Says on screen whether the seat map is live, and when it is reconnecting.
import type { Connection } from '../live/live-socket.ts';

export function LiveStatus(props: { connection: Connection }) {
  return (
    <p class={`live-status ${props.connection.kind}`} role="status" data-testid="live-status">
      {describe(props.connection)}
    </p>
  );
}

function describe(connection: Connection): string {
  switch (connection.kind) {
    case 'connecting':
      return 'Connecting to live seat updates…';
    case 'live':
      return connection.recovered
        ? 'Live updates are back. The seat map is up to date.'
        : 'Live: seats change here as soon as others take them.';
    case 'lost': {
      const seconds = Math.max(1, Math.round(connection.retryInMs / 1000));
      return `Live updates were interrupted. Reconnecting in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}…`;
    }
  }
}
