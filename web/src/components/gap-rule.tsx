// The admin's switch for a screening's single-seat gap rule (API.md, Additions: Single-seat gaps),
// saved with PATCH /api/admin/screenings/:id.
import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { plainMessage } from '../messages.ts';
import { announce } from './announcer.tsx';
import { Alert } from './page.tsx';

export type GapRuleValue = 'ALLOW' | 'PREVENT';

export function GapRule(props: { screeningId: string; value: GapRuleValue | undefined }) {
  const [value, setValue] = useState<GapRuleValue>(props.value ?? 'ALLOW');
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setSaved('');
    try {
      await api(`/api/admin/screenings/${encodeURIComponent(props.screeningId)}`, {
        method: 'PATCH',
        auth: true,
        body: { singleSeatGaps: value },
      });
      const text =
        value === 'PREVENT'
          ? 'Saved: holds that would leave a single empty seat are refused.'
          : 'Saved: any seats may be held.';
      setSaved(text);
      announce(text);
    } catch (failure) {
      setError(plainMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="gap-rule-title">
      <h2 id="gap-rule-title">Seat rules</h2>
      <form class="form" onSubmit={save}>
        <div class="field">
          <label for="gap-rule">Single empty seats between others</label>
          <select
            id="gap-rule"
            value={value}
            onChange={(event) => setValue(event.currentTarget.value as GapRuleValue)}
          >
            <option value="ALLOW">Allowed</option>
            <option value="PREVENT">Prevented: refuse holds that would leave one</option>
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the rule'}
        </button>
      </form>
      {saved && <p class="success">✓ {saved}</p>}
      <Alert message={error} />
    </section>
  );
}
