// Paying for a hold: the seats, a countdown to the hold's end, a test card, and one Idempotency-Key
// per checkout attempt, reused when the same payment is retried so nothing is charged twice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { api, newIdempotencyKey } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import {
  type Hold,
  PAYMENT_METHODS,
  type PaymentMethod,
  type PaymentResult,
  type ScreeningDetail,
  type SeatMap,
} from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Countdown } from '../components/countdown.tsx';
import { Field } from '../components/field.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { ScreeningHeader } from '../components/screening-map.tsx';
import { SeatList } from '../components/seat-list.tsx';
import { formatWon, plural } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { forgetHold, type KnownHold, knownHold, rememberHold, rememberReservation } from '../memory.ts';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';

const METHOD_NAMES: Record<PaymentMethod, string> = {
  CARD: 'Card',
  KAKAO_PAY: 'Kakao Pay',
  NAVER_PAY: 'Naver Pay',
  TOSS: 'Toss',
  BANK_TRANSFER: 'Bank transfer',
};
/** Answers after which this hold is gone: the person must choose seats again. */
const FINAL = new Set([
  'PAYMENT_DECLINED',
  'PAYMENT_GATEWAY_ERROR',
  'HOLD_EXPIRED',
  'HOLD_NOT_FOUND',
  'NOT_FOUND',
]);

async function loadHold(holdToken: string): Promise<KnownHold> {
  const known = knownHold(holdToken);
  if (known) return known;
  let serverDate: string | null = null;
  const { items } = await api<{ items: Hold[] }>('/api/me/holds', {
    auth: true,
    onResponse: (response) => {
      serverDate = response.headers.get('date');
    },
  });
  const hold = items.find((item) => item.holdToken === holdToken);
  if (!hold) throw new ApiError(404, 'HOLD_NOT_FOUND');
  return rememberHold(hold, serverDate);
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

  const loaded = data.data;
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

  const pay = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const cardNumber = String(form.get('cardNumber') ?? '').replace(/[\s-]/g, '');
    if (method === 'CARD' && !/^\d{12,19}$/.test(cardNumber)) {
      setCardError('Enter a card number of 12 to 19 digits, for example 4242 4242 4242 4242.');
      return setError('Please fix the card number.');
    }
    setCardError(undefined);
    const body = { holdToken, screeningId, method, ...(method === 'CARD' ? { cardNumber } : {}) };
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
      forgetHold(holdToken);
      navigate(`/reservations/${encodeURIComponent(result.reservation.reservationNo)}?confirmed=1`, {
        replace: true,
      });
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && FINAL.has(failure.code)) {
        setEnded(true);
        forgetHold(holdToken);
      }
      setError(plainMessage(failure, 'pay'));
    }
  };

  const release = async () => {
    setBusy(true);
    try {
      await api(`/api/screenings/${encodeURIComponent(screeningId)}/holds/${encodeURIComponent(holdToken)}`, {
        method: 'DELETE',
        auth: true,
      });
      forgetHold(holdToken);
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
      {loaded && !ended && (
        <>
          <h2>{loaded.detail.movie.title}</h2>
          <SeatList seats={loaded.seats} />
          <p class="total">Total: {formatWon(total)}</p>
          <Countdown deadline={loaded.hold.deadline} onExpire={expire} />
          <form class="form" onSubmit={pay} noValidate>
            <fieldset>
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
