// The frame of every view: its h1 (focused when the view opens, so keyboard and screen-reader users
// start at the top of what changed), the tab title, and the error box.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Page(props: { title: string; children?: ComponentChildren; wide?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${props.title} · Marquee`;
  }, [props.title]);
  return (
    <div class={props.wide ? 'page wide' : 'page'}>
      <h1 ref={heading} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </div>
  );
}

/** An error in plain words. The box is always there, so screen readers announce new text in it. */
export function Alert(props: { message?: string; children?: ComponentChildren }) {
  const shown = Boolean(props.message || props.children);
  return (
    <div role="alert" class={shown ? 'alert' : 'alert empty'}>
      {props.message}
      {props.children}
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {props.what}…
    </p>
  );
}
