// A labelled form field with its hint and its error, wired for screen readers.
import type { InputHTMLAttributes } from 'preact';

export function Field(
  props: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; hint?: string; error?: string },
) {
  const { id, label, hint, error, ...input } = props;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-describedby={described || undefined}
        aria-invalid={error ? 'true' : undefined}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
