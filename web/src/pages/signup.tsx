// Create an account (always a USER), then log in with it straight away.
import { useState } from 'preact/hooks';
import { api, logIn } from '../api/client.ts';
import { announce } from '../components/announcer.tsx';
import { Field } from '../components/field.tsx';
import { Alert, Page } from '../components/page.tsx';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';
import { safeNext } from './login.tsx';

const LOGIN_ID_HINT = '4 to 32 characters: lowercase letters, digits or _.';
const PASSWORD_HINT = '8 to 72 characters.';

export function SignupPage(props: { next: string | null }) {
  const [error, setError] = useState('');
  const [fields, setFields] = useState<{ loginId?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const next = safeNext(props.next);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const loginId = String(form.get('loginId') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const problems = {
      loginId: /^[a-z0-9_]{4,32}$/.test(loginId) ? undefined : `Choose a login id of ${LOGIN_ID_HINT}`,
      password:
        password.length >= 8 && password.length <= 72 ? undefined : `Choose a password of ${PASSWORD_HINT}`,
    };
    setFields(problems);
    if (problems.loginId || problems.password) return setError('Please fix the fields marked below.');
    setBusy(true);
    setError('');
    try {
      await api('/api/auth/signup', { method: 'POST', body: { loginId, password } });
      await logIn(loginId, password);
      announce(`Welcome, ${loginId}. Your account is ready and you are logged in.`);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(plainMessage(failure, 'signup'));
      setBusy(false);
    }
  };

  return (
    <Page title="Create an account">
      <Alert message={error} />
      <form class="form" onSubmit={submit} noValidate>
        <Field
          id="loginId"
          label="Login id"
          hint={LOGIN_ID_HINT}
          error={fields.loginId}
          autoComplete="username"
          autoCapitalize="none"
          required
        />
        <Field
          id="password"
          label="Password"
          type="password"
          hint={PASSWORD_HINT}
          error={fields.password}
          autoComplete="new-password"
          required
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </Page>
  );
}
