// Time left on a hold, from the moment seats are held: shown every second with the cinema-time
// deadline, said aloud only at each minute and at 30 and 10 seconds. `children` sit beside it (the
// "I need more time" button).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { countdownAnnouncement, formatCountdown, formatTime } from '../format.ts';
import { announce } from './announcer.tsx';

export function Countdown(props: {
  /** When the hold ends, in this device's Date.now() terms. */
  deadline: number;
  /** The same moment as the API says it (expiresAt), written in cinema time. */
  expiresAt: string;
  onExpire: () => void;
  children?: ComponentChildren;
}) {
  const [now, setNow] = useState(Date.now);
  const left = props.deadline - now;
  const seconds = Math.max(0, Math.ceil(left / 1000));
  const before = useRef(seconds);
  const expired = useRef(false);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const text = countdownAnnouncement(before.current, seconds);
    before.current = seconds;
    if (text) announce(text);
    if (seconds === 0 && !expired.current) {
      expired.current = true;
      props.onExpire();
    } else if (seconds > 0) expired.current = false; // extended
  }, [seconds]);

  return (
    <div class={seconds <= 60 ? 'countdown urgent' : 'countdown'}>
      <p>
        <span class="timer" role="timer" data-testid="countdown">
          {formatCountdown(left)}
        </span>{' '}
        <span class="countdown-text">
          left to pay <span class="until">(seats held until {formatTime(props.expiresAt)})</span>
        </span>
      </p>
      {props.children}
    </div>
  );
}
