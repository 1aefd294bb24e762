// A screening's live seat map for someone buying: choose up to 8 seats on the map (or let the server
// pick the best ones), hold them, go and pay. The selection panel turns into a sticky bar on phones
// ("2 seats · 24,000 won · Hold"); while the person holds seats here it shows the countdown.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import type { ScreeningDetail, Seat } from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { BestSeats } from '../components/best-seats.tsx';
import { Countdown } from '../components/countdown.tsx';
import { MoreTime } from '../components/more-time.tsx';
import { Page } from '../components/page.tsx';
import { ScreeningMap } from '../components/screening-map.tsx';
import { SeatList } from '../components/seat-list.tsx';
import { formatWon, listInWords, plural, seatName } from '../format.ts';
import { type BestRequest, holdSeats, myHolds } from '../holds.ts';
import { useLoad } from '../hooks/use-load.ts';
import { useLiveSeats } from '../live/use-live-seats.ts';
import { type KnownHold, savedSelection, saveSelection } from '../memory.ts';
import { plainMessage, seatUnavailable } from '../messages.ts';
import { Link, navigate } from '../router.ts';

export const MAX_SEATS = 8;

const checkoutOf = (hold: KnownHold) =>
  `/checkout/${encodeURIComponent(hold.screeningId)}/${encodeURIComponent(hold.holdToken)}`;

export function SeatMapPage(props: { id: string }) {
  const { id } = props;
  const session = useSession();
  const detail = useLoad(() => api<ScreeningDetail>(`/api/screenings/${encodeURIComponent(id)}`), [id]);
  const live = useLiveSeats(id);
  const held = useLoad(async () => (session ? myHolds(id) : []), [id, session?.me.id]);
  const [selected, setSelected] = useState<string[]>(() => savedSelection(id));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const holding = useRef(false);

  const seatsById = useMemo(() => new Map(live.seats?.map((seat) => [seat.seatId, seat])), [live.seats]);
  const mine = useMemo(() => new Set(held.data?.flatMap((hold) => hold.seatIds)), [held.data]);
  const chosen = selected.flatMap((seatId) => seatsById.get(seatId) ?? []);
  const total = chosen.reduce((sum, seat) => sum + seat.price, 0);
  const names = (seatIds: string[]) =>
    seatIds.flatMap((seatId) => {
      const seat = seatsById.get(seatId);
      return seat ? [seatName(seat)] : [];
    });

  useEffect(() => {
    saveSelection(id, selected);
  }, [id, selected]);

  // Someone else took a seat this person had chosen: drop it and say so.
  useEffect(() => {
    if (holding.current) return; // our own hold turns them HOLD before its answer arrives
    const taken = chosen.filter((seat) => seat.status !== 'AVAILABLE');
    if (taken.length === 0) return;
    setSelected((current) => current.filter((seatId) => !taken.some((seat) => seat.seatId === seatId)));
    setError(
      `Sorry, ${listInWords(taken.map(seatName))} ${taken.length === 1 ? 'was' : 'were'} just taken by someone else and left your selection.`,
    );
  }, [seatsById]);

  const pick = (seat: Seat) => {
    const name = seatName(seat);
    if (mine.has(seat.seatId)) return announce(`You already hold ${name}. Continue to payment to buy it.`);
    if (seat.status !== 'AVAILABLE') return setError(seatUnavailable(name, seat.status));
    let next: string[];
    if (selected.includes(seat.seatId)) {
      next = selected.filter((seatId) => seatId !== seat.seatId);
      announce(`${name} removed. ${summary(next)}`);
    } else if (selected.length >= MAX_SEATS) {
      return setError(`You can choose up to ${MAX_SEATS} seats at a time.`);
    } else {
      next = [...selected, seat.seatId];
      announce(`${name} selected, ${formatWon(seat.price)}. ${summary(next)}`);
    }
    setError('');
    setSelected(next);
  };
  const summary = (seatIds: string[]) => {
    const sum = seatIds.reduce((acc, seatId) => acc + (seatsById.get(seatId)?.price ?? 0), 0);
    return seatIds.length === 0
      ? 'No seats selected.'
      : `${plural(seatIds.length, 'seat')} selected, ${formatWon(sum)} in total.`;
  };

  const hold = async (body: { seatIds: string[] } | { best: BestRequest }) => {
    holding.current = true;
    setBusy(true);
    setError('');
    try {
      const created = await holdSeats(id, body);
      saveSelection(id, []);
      navigate(checkoutOf(created));
    } catch (failure) {
      holding.current = false;
      setBusy(false);
      const gone = failure instanceof ApiError ? failure.unavailableSeatIds : [];
      if (gone.length > 0) {
        setSelected((current) => current.filter((seatId) => !gone.includes(seatId)));
        live.refresh();
      }
      const gaps = failure instanceof ApiError ? failure.gapSeatIds : [];
      const activity = 'best' in body ? 'best' : 'hold';
      setError(plainMessage(failure, activity, names(gaps.length > 0 ? gaps : gone)));
    }
  };

  const expired = () => {
    setError(plainMessage(new ApiError(409, 'HOLD_EXPIRED')));
    held.reload();
    live.refresh();
  };
  const extended = (hold: KnownHold) =>
    held.set((held.data ?? []).map((item) => (item.holdToken === hold.holdToken ? hold : item)));

  const screening = detail.data;
  const heldHere = held.data?.[0];
  const heldSeats = (held.data ?? []).flatMap((item) =>
    item.seatIds.flatMap((seatId) => seatsById.get(seatId) ?? []),
  );
  const heldTotal = heldSeats.reduce((sum, seat) => sum + seat.price, 0);
  return (
    <Page title={screening ? screening.movie.title : 'Seat map'} wide>
      <ScreeningMap
        screening={screening}
        loadError={detail.error}
        live={live}
        error={error}
        selected={new Set(selected)}
        mine={mine}
        canPick={(seat) => seat.status === 'AVAILABLE' && !mine.has(seat.seatId)}
        onPick={pick}
        selectedText="Your choice, or held by you"
        aside={
          <section class="selection buyer" aria-labelledby="selection-title">
            <h2 id="selection-title">{heldHere ? 'Your seats on hold' : 'Your selection'}</h2>
            {heldHere ? (
              <>
                <SeatList seats={heldSeats} />
                <Countdown deadline={heldHere.deadline} expiresAt={heldHere.expiresAt} onExpire={expired}>
                  <MoreTime hold={heldHere} onExtended={extended} />
                </Countdown>
                <div class="checkout-bar">
                  <p class="bar-summary">
                    {plural(heldSeats.length || heldHere.seatIds.length, 'seat')} held ·{' '}
                    {formatWon(heldTotal)}
                  </p>
                  <Link href={checkoutOf(heldHere)} class="button primary">
                    Continue to payment
                  </Link>
                </div>
              </>
            ) : (
              <>
                {chosen.length === 0 ? (
                  <p class="selection-hint">Choose up to {MAX_SEATS} seats on the map.</p>
                ) : (
                  <SeatList seats={chosen} />
                )}
                <div class="checkout-bar">
                  <p class="bar-summary" id="selection-summary" data-testid="selection-summary">
                    {chosen.length === 0
                      ? 'No seats chosen'
                      : `${plural(chosen.length, 'seat')} · ${formatWon(total)}`}
                  </p>
                  {session ? (
                    <button
                      type="button"
                      class="primary"
                      aria-describedby="selection-summary"
                      disabled={chosen.length === 0 || busy}
                      onClick={() => hold({ seatIds: selected })}
                    >
                      {busy ? 'Holding…' : 'Hold'}
                    </button>
                  ) : (
                    <Link
                      href={`/login?next=${encodeURIComponent(`/screenings/${id}`)}`}
                      class="button primary"
                    >
                      Log in to hold
                    </Link>
                  )}
                </div>
                <p class="hint">
                  Held seats are kept for you for a few minutes while you pay.
                  {(screening as { singleSeatGaps?: string } | undefined)?.singleSeatGaps === 'PREVENT' &&
                    ' This screening leaves no single empty seat between others.'}
                </p>
                {session && live.seats && (
                  <BestSeats seats={live.seats} busy={busy} onHold={(best) => hold({ best })} />
                )}
              </>
            )}
          </section>
        }
      />
    </Page>
  );
}
