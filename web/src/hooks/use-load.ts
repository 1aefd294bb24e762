// Loads data for a view and forgets answers that arrive after the view asked for something else.
// What was loaded for other dependencies (the day before the one just picked) is never shown as
// this view's: until its own answer comes the view is loading.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  set: (data: T) => void;
}

/** Whether an answer loaded for `answered` is one for `deps` (the same values, as useEffect compares). */
export function answers(answered: readonly unknown[] | undefined, deps: readonly unknown[]): boolean {
  return (
    answered !== undefined &&
    answered.length === deps.length &&
    answered.every((value, index) => Object.is(value, deps[index]))
  );
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; for?: unknown[] }>({
    loading: true,
  });
  const generation = useRef(0);
  // The caller names what the load depends on, as with useEffect.
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false, for: deps }),
      (error: unknown) => mine === generation.current && setState({ error, loading: false, for: deps }),
    );
  }, deps);
  useEffect(() => {
    run();
    return () => {
      generation.current++; // the view is gone: drop whatever is still on its way
    };
  }, [run]);
  return {
    data: state.data,
    error: state.error,
    // The render that brings new dependencies comes before the effect that loads for them.
    loading: state.loading || !answers(state.for, deps),
    reload: run,
    set: (data: T) => setState({ data, loading: false, for: deps }),
  };
}
