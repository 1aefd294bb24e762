// Paying for a hold: the countdown to the hold's end from the top of the page (with "I need more
// time"), the seats, a way to pay, and one Idempotency-Key per payment attempt, reused only when the
// same request is sent again after its answer was lost, so nothing is charged twice. A declined or
// failed payment charges nothing and lets the seats go (API.md's seat states): the page takes the
// same seats again at once, so the buyer tries another card without choosing seats again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { api, newIdempotencyKey } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import {
  PAYMENT_METHODS,
  type PaymentMethod,
  type PaymentResult,
  type ScreeningDetail,
  type SeatMap,
} from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Countdown } from '../components/countdown.tsx';
import { Field } from '../components/field.tsx';
import { MoreTime } from '../components/more-time.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { ScreeningHeader } from '../components/screening-map.tsx';
import { SeatList } from '../components/seat-list.tsx';
import { formatWon, plural } from '../format.ts';
import { holdSeats, myHolds } from '../holds.ts';
import { useLoad } from '../hooks/use-load.ts';
import { forgetHold, type KnownHold, knownHold, rememberReservation } from '../memory.ts';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';

const METHOD_NAMES: Record<PaymentMethod, string> = {
  CARD: 'Card',
  KAKAO_PAY: 'Kakao Pay',
  NAVER_PAY: 'Naver Pay',
  TOSS: 'Toss',
  BANK_TRANSFER: 'Bank transfer',
};
/** Answers after which this hold is gone and nothing can bring it back here. */
const FINAL = new Set(['HOLD_EXPIRED', 'HOLD_NOT_FOUND', 'NOT_FOUND']);
/** Answers after which nothing was charged and the seats were let go: they are held again at once. */
const RETRYABLE = new Set(['PAYMENT_DECLINED', 'PAYMENT_GATEWAY_ERROR']);
/** Answers that end an attempt: a new attempt gets a new Idempotency-Key. */
const SETTLED = new Set([...RETRYABLE, 'IDEMPOTENCY_KEY_REUSED']);

async function loadHold(holdToken: string): Promise<KnownHold> {
  const known = knownHold(holdToken);
  if (known) return known;
  const hold = (await myHolds()).find((item) => item.holdToken === holdToken);
  if (!hold) throw new ApiError(404, 'HOLD_NOT_FOUND');
  return hold;
}

export function CheckoutPage(props: { screeningId: string; holdToken: string }) {
  const { screeningId, holdToken } = props;
  const session = useSession();
  const data = useLoad(async () => {
    const [hold, detail, map] = await Promise.all([
      loadHold(holdToken),
      api<ScreeningDetail>(`/api/screenings/${encodeURIComponent(screeningId)}`),
      api<SeatMap>(`/api/screenings/${encodeURIComponent(screeningId)}/seats`),
    ]);
    return { hold, detail, seats: map.seats.filter((seat) => hold.seatIds.includes(seat.seatId)) };
  }, [screeningId, holdToken, session?.me.id]);
  const [method, setMethod] = useState<PaymentMethod>('CARD');
  const [cardError, setCardError] = useState<string>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [ended, setEnded] = useState(false);
  const keys = useRef(new Map<string, string>());
  const [retried, setRetried] = useState<KnownHold>();

  const loaded = data.data;
  const hold = retried ?? loaded?.hold;
  const total = loaded?.seats.reduce((sum, seat) => sum + seat.price, 0) ?? 0;
  useEffect(() => {
    if (!loaded) return;
    const seconds = Math.max(0, Math.round((loaded.hold.deadline - Date.now()) / 1000));
    const time =
      seconds < 120 ? plural(seconds, 'second') : `about ${plural(Math.round(seconds / 60), 'minute')}`;
    announce(
      `${plural(loaded.seats.length, 'seat')} held for you for ${time}. Pay before the time runs out.`,
    );
  }, [loaded]);

  const expire = () => {
    if (busy) return; // a payment has started: its own deadline applies now
    setEnded(true);
    setError(plainMessage(new ApiError(409, 'HOLD_EXPIRED')));
  };

  /** After a declined or failed payment: the same seats again, under a new hold. */
  const holdAgain = async (failure: ApiError, seatIds: string[]) => {
    try {
      const again = await holdSeats(screeningId, { seatIds });
      setRetried(again);
      history.replaceState(
        null,
        '',
        `/checkout/${encodeURIComponent(screeningId)}/${encodeURIComponent(again.holdToken)}`,
      );
      setError(`${plainMessage(failure, 'pay')} Your seats are still held for you.`);
    } catch (lost) {
      setEnded(true);
      const taken = lost instanceof ApiError && lost.code === 'SEAT_NOT_AVAILABLE';
      setError(
        `${plainMessage(failure, 'pay').replace(/ You can try again.*$/, '')} ${
          taken
            ? 'Meanwhile someone else took one of your seats: please choose your seats again.'
            : 'Your seats could not be held again: please choose them again.'
        }`,
      );
    }
  };

  const pay = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const cardNumber = String(form.get('cardNumber') ?? '').replace(/[\s-]/g, '');
    if (method === 'CARD' && !/^\d{12,19}$/.test(cardNumber)) {
      setCardError('Enter a card number of 12 to 19 digits, for example 4242 4242 4242 4242.');
      return setError('Please fix the card number.');
    }
    setCardError(undefined);
    if (!hold) return;
    const body = {
      holdToken: hold.holdToken,
      screeningId,
      method,
      ...(method === 'CARD' ? { cardNumber } : {}),
    };
    // The same payment again (after a lost answer) keeps its key; a different one gets a new key.
    const attempt = JSON.stringify(body);
    const key = keys.current.get(attempt) ?? newIdempotencyKey();
    keys.current.set(attempt, key);
    setBusy(true);
    setError('');
    try {
      const result = await api<PaymentResult>('/api/payments', {
        method: 'POST',
        auth: true,
        body,
        headers: { 'Idempotency-Key': key },
      });
      rememberReservation(result.reservation);
      forgetHold(hold.holdToken);
      navigate(`/reservations/${encodeURIComponent(result.reservation.reservationNo)}?confirmed=1`, {
        replace: true,
      });
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : '';
      if (SETTLED.has(code)) keys.current.delete(attempt);
      if (failure instanceof ApiError && RETRYABLE.has(code)) {
        forgetHold(hold.holdToken);
        await holdAgain(failure, hold.seatIds);
      } else if (FINAL.has(code)) {
        setEnded(true);
        forgetHold(hold.holdToken);
        setError(plainMessage(failure, 'pay'));
      } else {
        // No answer, or not yet: the same request again keeps its key, so it is never charged twice.
        setError(
          code === 'NETWORK'
            ? 'We could not reach Marquee, so we do not know yet whether you paid. Press Pay again: you will not be charged twice.'
            : plainMessage(failure, 'pay'),
        );
      }
      setBusy(false);
    }
  };

  const release = async () => {
    setBusy(true);
    try {
      const token = hold?.holdToken ?? holdToken;
      await api(`/api/screenings/${encodeURIComponent(screeningId)}/holds/${encodeURIComponent(token)}`, {
        method: 'DELETE',
        auth: true,
      });
      forgetHold(token);
      announce('Your seats were released.');
      navigate(`/screenings/${encodeURIComponent(screeningId)}`, { replace: true });
    } catch (failure) {
      setBusy(false);
      setError(plainMessage(failure, 'release'));
    }
  };

  const backToMap = (
    <p>
      <Link href={`/screenings/${encodeURIComponent(screeningId)}`}>Choose seats again</Link>
    </p>
  );
  if (!session) {
    return (
      <Page title="Pay for your seats">
        <p>
          <Link href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to pay for your
          seats.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Pay for your seats">
      <ScreeningHeader detail={loaded?.detail} />
      <Alert message={error || (data.error ? plainMessage(data.error, 'pay') : '')} />
      {data.loading && <Loading what="your hold" />}
      {(data.error || ended) && backToMap}
      {loaded && hold && !ended && (
        <>
          <Countdown
            key={hold.holdToken}
            deadline={hold.deadline}
            expiresAt={hold.expiresAt}
            onExpire={expire}
          >
            <MoreTime hold={hold} onExtended={setRetried} />
          </Countdown>
          <h2>{loaded.detail.movie.title}</h2>
          <SeatList seats={loaded.seats} />
          <p class="total">Total: {formatWon(total)}</p>
          <form class="form" onSubmit={pay} noValidate>
            <fieldset class="methods">
              <legend>Payment method</legend>
              {PAYMENT_METHODS.map((value) => (
                <label class="choice" key={value}>
                  <input
                    type="radio"
                    name="method"
                    value={value}
                    checked={method === value}
                    onChange={() => setMethod(value)}
                  />{' '}
                  {METHOD_NAMES[value]}
                </label>
              ))}
            </fieldset>
            {method === 'CARD' && (
              <Field
                id="cardNumber"
                label="Card number"
                inputMode="numeric"
                autoComplete="off"
                hint="Test cards: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 times out."
                error={cardError}
              />
            )}
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? 'Paying…' : `Pay ${formatWon(total)}`}
              </button>
              <button type="button" disabled={busy} onClick={release}>
                Release these seats
              </button>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}
