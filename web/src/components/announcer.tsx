// One polite live region for the whole page: selection changes, the hold countdown, live changes
// to the person's seats. Errors use role="alert" boxes next to what failed instead.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<(text: string) => void>();

/** Says `text` to screen-reader users without moving focus. */
export function announce(text: string): void {
  for (const listener of listeners) listener(text);
}

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (next: string) => {
      // Clear first so the same sentence twice is still read twice.
      setText('');
      clearTimeout(timer);
      timer = setTimeout(() => setText(next), 50);
    };
    listeners.add(listener);
    return () => {
      clearTimeout(timer);
      listeners.delete(listener);
    };
  }, []);
  return (
    <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
