// One screening for the admin: the live map, blocking and unblocking seats, its sales report and
// its reservations.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { countSeats } from '../../../src/domain/seats/seat-counts.ts';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import type { ScreeningDetail, Seat } from '../api/types.ts';
import { announce } from '../components/announcer.tsx';
import { Field } from '../components/field.tsx';
import { GapRule, type GapRuleValue } from '../components/gap-rule.tsx';
import { Page } from '../components/page.tsx';
import { ScreeningMap } from '../components/screening-map.tsx';
import { ScreeningReport } from '../components/screening-report.tsx';
import { WaitingRoomPanel } from '../components/waiting-room-panel.tsx';
import { listInWords, plural, seatName } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { useLiveSeats } from '../live/use-live-seats.ts';
import type { Activity } from '../messages.ts';
import { plainMessage } from '../messages.ts';
import { AdminReservations } from './admin.tsx';

const blockable = (seat: Seat) => seat.status === 'AVAILABLE' || seat.status === 'BLOCKED';

export function AdminScreeningPage(props: { id: string }) {
  const { id } = props;
  const detail = useLoad(() => api<ScreeningDetail>(`/api/screenings/${encodeURIComponent(id)}`), [id]);
  const live = useLiveSeats(id);
  const [selected, setSelected] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const seatsById = useMemo(() => new Map(live.seats?.map((seat) => [seat.seatId, seat])), [live.seats]);
  const chosen = selected.flatMap((seatId) => seatsById.get(seatId) ?? []);
  const toBlock = chosen.filter((seat) => seat.status === 'AVAILABLE');
  const toUnblock = chosen.filter((seat) => seat.status === 'BLOCKED');
  const counts = live.seats ? countSeats(live.seats) : undefined;

  // A chosen seat that someone took meanwhile can be neither blocked nor unblocked.
  useEffect(() => {
    const changed = chosen.filter((seat) => !blockable(seat));
    if (changed.length > 0)
      setSelected((current) => current.filter((seatId) => !changed.some((seat) => seat.seatId === seatId)));
  }, [seatsById]);

  const pick = (seat: Seat) => {
    if (!blockable(seat)) return setError(`${seatName(seat)} is held or sold: it cannot be blocked now.`);
    setError('');
    const next = selected.includes(seat.seatId)
      ? selected.filter((seatId) => seatId !== seat.seatId)
      : [...selected, seat.seatId];
    setSelected(next);
    announce(
      `${seatName(seat)} ${next.includes(seat.seatId) ? 'selected' : 'removed'}. ${plural(next.length, 'seat')} selected.`,
    );
  };

  const change = async (activity: Extract<Activity, 'block' | 'unblock'>, seats: Seat[]) => {
    if (activity === 'block' && !reason.trim()) {
      setReasonError('Give a reason, for example "broken armrest".');
      return setError('Please give a reason for blocking.');
    }
    setReasonError(undefined);
    setBusy(true);
    setError('');
    setDone('');
    try {
      const seatIds = seats.map((seat) => seat.seatId);
      await api(`/api/admin/screenings/${encodeURIComponent(id)}/seats/${activity}`, {
        method: 'POST',
        auth: true,
        body: activity === 'block' ? { seatIds, reason: reason.trim() } : { seatIds },
      });
      setSelected((current) => current.filter((seatId) => !seatIds.includes(seatId)));
      // Said on screen (the box stays until the next change) and aloud.
      const text =
        activity === 'block'
          ? `Blocked ${listInWords(seats.map(seatName))} (${reason.trim()}). ${seats.length === 1 ? 'It is' : 'They are'} off sale until unblocked.`
          : `Unblocked ${listInWords(seats.map(seatName))}: back on sale.`;
      setDone(text);
      announce(text);
    } catch (failure) {
      const names = (failure instanceof ApiError ? failure.unavailableSeatIds : []).flatMap((seatId) => {
        const seat = seatsById.get(seatId);
        return seat ? [seatName(seat)] : [];
      });
      setError(plainMessage(failure, activity, names));
      live.refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={detail.data ? `Seats: ${detail.data.movie.title}` : 'Seats'} wide>
      <ScreeningMap
        screening={detail.data}
        loadError={detail.error}
        live={live}
        error={error}
        selected={new Set(selected)}
        canPick={blockable}
        onPick={pick}
        selectedText="Chosen"
        intro={
          counts && (
            <p class="counts" data-testid="counts">
              Sold {counts.sold} · Held {counts.held} · Free {counts.free} · Blocked {counts.blocked}
            </p>
          )
        }
        aside={
          <section class="selection" aria-labelledby="admin-selection-title">
            <h2 id="admin-selection-title">Block or unblock</h2>
            <p>Choose available seats to block them, or blocked seats to put them back on sale.</p>
            {done && (
              <p class="success" data-testid="block-done">
                ✓ {done}
              </p>
            )}
            <Field
              id="reason"
              label="Reason for blocking"
              value={reason}
              error={reasonError}
              maxLength={200}
              onInput={(event) => setReason(event.currentTarget.value)}
            />
            <div class="actions">
              <button
                type="button"
                class="primary"
                disabled={busy || toBlock.length === 0}
                onClick={() => change('block', toBlock)}
              >
                {toBlock.length > 0 ? `Block ${plural(toBlock.length, 'seat')}` : 'Block seats'}
              </button>
              <button
                type="button"
                disabled={busy || toUnblock.length === 0}
                onClick={() => change('unblock', toUnblock)}
              >
                {toUnblock.length > 0 ? `Unblock ${plural(toUnblock.length, 'seat')}` : 'Unblock seats'}
              </button>
            </div>
          </section>
        }
      />
      <WaitingRoomPanel screening={detail.data} onChange={detail.reload} />
      <ScreeningReport screeningId={id} changes={counts ? [counts.sold, counts.held, counts.blocked] : []} />
      {detail.data && (
        <GapRule
          screeningId={id}
          // Shown on GET /api/screenings/:id by servers with the gap rule (API.md, Additions).
          value={(detail.data as { singleSeatGaps?: GapRuleValue }).singleSeatGaps}
        />
      )}
      <AdminReservations screeningId={id} />
    </Page>
  );
}
