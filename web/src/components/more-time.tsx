// "I need more time": extends a hold while the server allows it (up to HOLD_MAX_SECONDS from the
// hold's start), then says plainly that this is as long as it gets.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { formatTime } from '../format.ts';
import { extendHold } from '../holds.ts';
import type { KnownHold } from '../memory.ts';
import { plainMessage } from '../messages.ts';
import { announce } from './announcer.tsx';

export function MoreTime(props: { hold: KnownHold; onExtended: (hold: KnownHold) => void }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const extend = async () => {
    setBusy(true);
    try {
      const hold = await extendHold(props.hold);
      props.onExtended(hold);
      const text = `Done: your seats are held until ${formatTime(hold.expiresAt)}.`;
      setNote(text);
      announce(text);
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : '';
      // At the cap, or a server without extensions: no button any more, and why.
      if (code === 'HOLD_EXTENSION_LIMIT' || code === 'NOT_FOUND' || code === 'METHOD_NOT_ALLOWED') {
        setDone(true);
        setNote(plainMessage(new ApiError(409, 'HOLD_EXTENSION_LIMIT')));
      } else setNote(plainMessage(failure, 'extend'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="more-time">
      {!done && (
        <button type="button" disabled={busy} onClick={extend}>
          {busy ? 'Asking for more time…' : 'I need more time'}
        </button>
      )}
      {note && <p class="hint">{note}</p>}
    </div>
  );
}
