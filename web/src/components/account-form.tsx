// The login id and password form of both the login and the sign-up page.
import { Field } from './field.tsx';

export interface Credentials {
  loginId: string;
  password: string;
}

export function AccountForm(props: {
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  /** Sign-up: hints, and the browser offers to make up a password. */
  creating?: boolean;
  hints?: Partial<Credentials>;
  errors?: Partial<Credentials>;
  onSubmit: (credentials: Credentials) => void;
}) {
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    props.onSubmit({
      loginId: String(form.get('loginId') ?? '').trim(),
      password: String(form.get('password') ?? ''),
    });
  };
  return (
    <form class="form" onSubmit={submit} noValidate>
      <Field
        id="loginId"
        label="Login id"
        hint={props.hints?.loginId}
        error={props.errors?.loginId}
        autoComplete="username"
        autoCapitalize="none"
        required
      />
      <Field
        id="password"
        label="Password"
        type="password"
        hint={props.hints?.password}
        error={props.errors?.password}
        autoComplete={props.creating ? 'new-password' : 'current-password'}
        required
      />
      <button type="submit" class="primary" disabled={props.busy}>
        {props.busy ? props.busyLabel : props.submitLabel}
      </button>
    </form>
  );
}
