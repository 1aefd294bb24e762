// What is on: one day's screenings, by movie, with the seats left; each opens its seat map.
import { listAll } from '../api/client.ts';
import type { Movie, ScreeningSummary, Theater } from '../api/types.ts';
import { DayPicker } from '../components/day-picker.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { Poster } from '../components/poster.tsx';
import { cinemaDate, formatTime, formatWhen, plural } from '../format.ts';
import { useLoad } from '../hooks/use-load.ts';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';

export interface Catalog {
  movies: Map<string, Movie>;
  screens: Map<string, { name: string; theater: string }>;
}

export async function loadCatalog(): Promise<Catalog> {
  const [movies, theaters] = await Promise.all([
    listAll<Movie>('/api/movies'),
    listAll<Theater>('/api/theaters'),
  ]);
  const screens = new Map<string, { name: string; theater: string }>();
  for (const theater of theaters) {
    for (const screen of theater.screens)
      screens.set(screen.id, { name: screen.name, theater: theater.name });
  }
  return { movies: new Map(movies.map((movie) => [movie.id, movie])), screens };
}

export const screeningsOf = (date: string, movieId = '') =>
  listAll<ScreeningSummary>(
    `/api/screenings?date=${date}${movieId ? `&movieId=${encodeURIComponent(movieId)}` : ''}`,
  );

export function ScreeningsPage(props: { query: URLSearchParams }) {
  const date = props.query.get('date') ?? cinemaDate();
  const movieId = props.query.get('movie') ?? '';
  const catalog = useLoad(loadCatalog, []);
  const screenings = useLoad(() => screeningsOf(date, movieId), [date, movieId]);
  const go = (nextDate: string, nextMovie: string) =>
    navigate(`/?date=${nextDate}${nextMovie ? `&movie=${encodeURIComponent(nextMovie)}` : ''}`, {
      replace: true,
    });

  const byMovie = new Map<string, ScreeningSummary[]>();
  for (const screening of screenings.data ?? []) {
    byMovie.set(screening.movieId, [...(byMovie.get(screening.movieId) ?? []), screening]);
  }
  const failure = catalog.error ?? screenings.error;

  return (
    <Page title="Screenings">
      <div class="filters">
        <DayPicker date={date} onChange={(next) => go(next, movieId)} />
        <div class="field">
          <label for="movie">Movie</label>
          <select id="movie" value={movieId} onChange={(event) => go(date, event.currentTarget.value)}>
            <option value="">All movies</option>
            {[...(catalog.data?.movies.values() ?? [])].map((movie) => (
              <option value={movie.id} key={movie.id}>
                {movie.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Alert message={failure ? plainMessage(failure) : ''} />
      {screenings.loading || catalog.loading ? (
        <Loading what="screenings" />
      ) : byMovie.size === 0 && !failure ? (
        <p>There are no screenings on this day. Try another day.</p>
      ) : (
        [...byMovie.entries()].map(([id, items]) => {
          const movie = catalog.data?.movies.get(id);
          return (
            <section class="movie" key={id} aria-labelledby={`movie-${id}`}>
              <Poster movie={movie ?? { title: 'A movie', posterUrl: null }} />
              <div class="movie-body">
                <h2 id={`movie-${id}`}>{movie?.title ?? 'A movie'}</h2>
                {movie && (
                  <p class="meta">
                    Rated {movie.rating === 'ALL' ? 'for all ages' : `${movie.rating}+`} ·{' '}
                    {movie.runtimeMinutes} min
                  </p>
                )}
                <ul class="showtimes">
                  {items.map((screening) => (
                    <Showtime key={screening.id} screening={screening} catalog={catalog.data} />
                  ))}
                </ul>
              </div>
            </section>
          );
        })
      )}
    </Page>
  );
}

function Showtime(props: { screening: ScreeningSummary; catalog: Catalog | undefined }) {
  const { screening } = props;
  const screen = props.catalog?.screens.get(screening.screenId);
  const now = Date.now();
  const note =
    now < Date.parse(screening.salesOpenAt)
      ? `On sale from ${formatWhen(screening.salesOpenAt)}`
      : now >= Date.parse(screening.startTime)
        ? 'Started'
        : `${plural(screening.availableSeats, 'seat')} left`;
  return (
    <li>
      <Link href={`/screenings/${screening.id}`} class="showtime">
        <span class="time">{formatTime(screening.startTime)}</span>
        <span>{screen ? `${screen.theater}, ${screen.name}` : 'Seat map'}</span>
      </Link>
      <span class="note">{note}</span>
    </li>
  );
}
