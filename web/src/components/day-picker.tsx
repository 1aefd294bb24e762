// Choosing the day of screenings: today, tomorrow, or any date, all days at the cinema. It says once
// which zone the page's days and times are in.
import { cinemaDate, zoneInWords } from '../format.ts';

export function DayPicker(props: { date: string; onChange: (date: string) => void }) {
  const today = cinemaDate();
  const tomorrow = cinemaDate(1);
  return (
    <fieldset class="day-picker" aria-describedby="zone-note">
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
      <p id="zone-note" class="hint zone-note">
        Days and times are the cinema's: {zoneInWords()}.
      </p>
    </fieldset>
  );
}
