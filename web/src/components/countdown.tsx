// Time left on a hold: shown every second, said aloud only at each minute and at 30 and 10 seconds.
import { useEffect, useRef, useState } from 'preact/hooks';
import { countdownAnnouncement, formatCountdown } from '../format.ts';
import { announce } from './announcer.tsx';

export function Countdown(props: { deadline: number; onExpire: () => void }) {
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
    }
  }, [seconds]);

  return (
    <p class="countdown">
      Time left to pay:{' '}
      <span class="timer" role="timer" data-testid="countdown">
        {formatCountdown(left)}
      </span>
    </p>
  );
}
