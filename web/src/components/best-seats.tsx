// "Pick the best seats for me" (API.md, Additions: Best available): how many, which seat types, how
// many wheelchair spaces; the server chooses and holds them in one step.
import { useState } from 'preact/hooks';
import { SEAT_TYPES, type Seat } from '../api/types.ts';
import { typeName } from '../format.ts';
import type { BestRequest } from '../holds.ts';

const COUNTS = [1, 2, 3, 4, 5, 6, 7, 8];

export function BestSeats(props: { seats: Seat[]; busy: boolean; onHold: (best: BestRequest) => void }) {
  const types = SEAT_TYPES.filter(
    (type) => type !== 'WHEELCHAIR' && props.seats.some((seat) => seat.type === type),
  );
  const hasWheelchair = props.seats.some((seat) => seat.type === 'WHEELCHAIR');
  const [count, setCount] = useState(2);
  const [wanted, setWanted] = useState<string[]>(types);
  const [wheelchair, setWheelchair] = useState(0);
  const submit = (event: Event) => {
    event.preventDefault();
    const allTypes = wanted.length === types.length;
    props.onHold({
      count,
      ...(allTypes || wanted.length === 0 ? {} : { types: wanted }),
      ...(wheelchair > 0 ? { wheelchair: Math.min(wheelchair, count) } : {}),
    });
  };
  return (
    <details class="best-seats">
      <summary>Or let us pick the best seats</summary>
      <form onSubmit={submit} class="form">
        <div class="field inline">
          <label for="best-count">Seats</label>
          <select
            id="best-count"
            value={count}
            onChange={(event) => setCount(Number(event.currentTarget.value))}
          >
            {COUNTS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        {types.length > 1 && (
          <fieldset>
            <legend>Seat types</legend>
            {types.map((type) => (
              <label class="choice" key={type}>
                <input
                  type="checkbox"
                  checked={wanted.includes(type)}
                  onChange={(event) =>
                    setWanted((current) =>
                      event.currentTarget.checked
                        ? [...current, type]
                        : current.filter((item) => item !== type),
                    )
                  }
                />{' '}
                {typeName(type)}
              </label>
            ))}
          </fieldset>
        )}
        {hasWheelchair && (
          <div class="field inline">
            <label for="best-wheelchair">Wheelchair spaces among them</label>
            <select
              id="best-wheelchair"
              value={wheelchair}
              onChange={(event) => setWheelchair(Number(event.currentTarget.value))}
            >
              {[0, ...COUNTS.filter((value) => value <= count)].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
        )}
        <p class="hint">Together in one row, as near the middle and two thirds back as we can find.</p>
        <button type="submit" class="primary" disabled={props.busy}>
          Hold the best {count === 1 ? 'seat' : `${count} seats`}
        </button>
      </form>
    </details>
  );
}
