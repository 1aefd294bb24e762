// A screening's live seat map for someone buying: choose up to 8 seats, hold them, go and pay.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import type { Hold, ScreeningDetail, Seat } from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Page } from '../components/page.tsx';
import { ScreeningMap } from '../components/screening-map.tsx';
import { SeatList } from '../components/seat-list.tsx';
import { formatWon, listInWords, plural, seatName } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { useLiveSeats } from '../live/use-live-seats.ts';
import { rememberHold, savedSelection, saveSelection } from '../memory.ts';
import { plainMessage, seatUnavailable } from '../messages.ts';
import { admissionHeaders } from '../queue/admission.ts';
import { Link, navigate } from '../router.ts';

export const MAX_SEATS = 8;

export function SeatMapPage(props: { id: string }) {
  const { id } = props;
  const session = useSession();
  const detail = useLoad(() => api<ScreeningDetail>(`/api/screenings/${encodeURIComponent(id)}`), [id]);
  const live = useLiveSeats(id);
  const myHolds = useLoad(
    async () =>
      session
        ? (await api<{ items: Hold[] }>('/api/me/holds', { auth: true })).items.filter(
            (hold) => hold.screeningId === id,
          )
        : [],
    [id, session?.me.id],
  );
  const [selected, setSelected] = useState<string[]>(() => savedSelection(id));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const holding = useRef(false);

  const seatsById = useMemo(() => new Map(live.seats?.map((seat) => [seat.seatId, seat])), [live.seats]);
  const mine = useMemo(() => new Set(myHolds.data?.flatMap((hold) => hold.seatIds)), [myHolds.data]);
  const chosen = selected.flatMap((seatId) => seatsById.get(seatId) ?? []);
  const total = chosen.reduce((sum, seat) => sum + seat.price, 0);

  useEffect(() => {
    saveSelection(id, selected);
  }, [id, selected]);

  // Someone else took a seat this person had chosen: drop it and say so.
  useEffect(() => {
    if (holding.current) return; // our own hold turns them HOLD before its answer arrives
    const taken = chosen.filter((seat) => seat.status !== 'AVAILABLE');
    if (taken.length === 0) return;
    setSelected((current) => current.filter((seatId) => !taken.some((seat) => seat.seatId === seatId)));
    const names = listInWords(taken.map(seatName));
    setError(
      `Sorry, ${names} ${taken.length === 1 ? 'was' : 'were'} just taken by someone else and left your selection.`,
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

  const hold = async () => {
    holding.current = true;
    setBusy(true);
    setError('');
    try {
      let serverDate: string | null = null;
      const created = await api<Hold>(`/api/screenings/${encodeURIComponent(id)}/holds`, {
        method: 'POST',
        auth: true,
        body: { seatIds: selected },
        headers: admissionHeaders(id),
        onResponse: (response) => {
          serverDate = response.headers.get('date');
        },
      });
      rememberHold(created, serverDate);
      saveSelection(id, []);
      navigate(`/checkout/${encodeURIComponent(id)}/${encodeURIComponent(created.holdToken)}`);
    } catch (failure) {
      holding.current = false;
      setBusy(false);
      const gone = failure instanceof ApiError ? failure.unavailableSeatIds : [];
      if (gone.length > 0) {
        setSelected((current) => current.filter((seatId) => !gone.includes(seatId)));
        live.refresh();
      }
      const names = gone.flatMap((seatId) => {
        const seat = seatsById.get(seatId);
        return seat ? [seatName(seat)] : [];
      });
      setError(plainMessage(failure, 'hold', names));
    }
  };

  const screening = detail.data;
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
        intro={myHolds.data?.map((held) => (
          <p class="notice" key={held.holdToken}>
            You are holding {plural(held.seatIds.length, 'seat')} for this screening.{' '}
            <Link href={`/checkout/${encodeURIComponent(id)}/${encodeURIComponent(held.holdToken)}`}>
              Continue to payment
            </Link>
          </p>
        ))}
        aside={
          <section class="selection" aria-labelledby="selection-title">
            <h2 id="selection-title">Your selection</h2>
            {chosen.length === 0 ? (
              <p>Choose up to {MAX_SEATS} seats on the map.</p>
            ) : (
              <>
                <SeatList seats={chosen} />
                <p class="total">Total: {formatWon(total)}</p>
              </>
            )}
            {session ? (
              <button type="button" class="primary" disabled={chosen.length === 0 || busy} onClick={hold}>
                {busy
                  ? 'Holding…'
                  : chosen.length > 0
                    ? `Hold ${plural(chosen.length, 'seat')}`
                    : 'Hold seats'}
              </button>
            ) : (
              <p>
                <Link href={`/login?next=${encodeURIComponent(`/screenings/${id}`)}`}>Log in</Link> to hold
                these seats.
              </p>
            )}
            <p class="hint">Held seats are kept for you for a few minutes while you pay.</p>
          </section>
        }
      />
    </Page>
  );
}
