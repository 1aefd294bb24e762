// A movie's poster (its https posterUrl), or, when it has none or the image does not load, a
// placeholder in the same 2:3 frame: the title's initials on a colour of its own. Decorative: the
// title is always written next to it, so the image says nothing more to a screen reader.
import { useState } from 'preact/hooks';
import type { Movie } from '../api/types.ts';

export function Poster(props: { movie: Pick<Movie, 'title' | 'posterUrl'>; size?: 'small' | 'large' }) {
  const { movie } = props;
  const [broken, setBroken] = useState(false);
  const size = `poster ${props.size ?? 'small'}`;
  if (movie.posterUrl && !broken) {
    return (
      <img
        class={size}
        src={movie.posterUrl}
        alt=""
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span class={`${size} placeholder`} style={{ '--hue': hue(movie.title) }} aria-hidden="true">
      <span class="initials">{initials(movie.title)}</span>
    </span>
  );
}

const initials = (title: string) =>
  title
    .split(/\s+/)
    .filter((word) => /^[\p{L}\p{N}]/u.test(word) && !/^(the|a|an|of)$/i.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('') || '★';

/** A hue from the title, so each movie keeps its colour. */
function hue(title: string): number {
  let sum = 0;
  for (const char of title) sum = (sum * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return sum;
}
