// A small history router: real paths (/screenings/:id) that survive a reload because the server
// answers unknown page paths with index.html (wrangler's SPA mode, or src/http/web-page.ts).
import { type AnchorHTMLAttributes, createElement, type TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const EVENT = 'marquee:navigate';
const here = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

export function useLocation(): Location {
  const [current, update] = useState(here);
  useEffect(() => {
    const listener = () => update(here());
    window.addEventListener('popstate', listener);
    window.addEventListener(EVENT, listener);
    return () => {
      window.removeEventListener('popstate', listener);
      window.removeEventListener(EVENT, listener);
    };
  }, []);
  return current;
}

/** The parameters of `path` if it fits `pattern` ("/screenings/:id"), else null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (path === '/') got.splice(1, 1, '');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index] ?? '';
    if (part.startsWith(':')) {
      if (!value) return null;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) return null;
  }
  return params;
}

/** An ordinary link that navigates without reloading on a plain click. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return createElement('a', { ...props, onClick });
}
