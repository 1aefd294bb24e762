// Choosing the day of screenings: today, tomorrow, or any date.
import { localDate } from '../format.ts';

export function DayPicker(props: { date: string; onChange: (date: string) => void }) {
  const today = localDate(new Date());
  const tomorrow = localDate(new Date(), 1);
  return (
    <fieldset class="day-picker">
      <legend>Day</legend>
      <button type="button" aria-pressed={props.date === today} onClick={() => props.onChange(today)}>
        Today
      </button>
      <button type="button" aria-pressed={props.date === tomorrow} onClick={() => props.onChange(tomorrow)}>
        Tomorrow
      </button>
      <label for="day">Date</label>
      <input
        id="day"
        type="date"
        value={props.date}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (/^\d{4}-\d{2}-\d{2}$/.test(value)) props.onChange(value);
        }}
      />
    </fieldset>
  );
}
