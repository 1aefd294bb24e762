// Create an account (always a USER), then log in with it straight away.
import { useState } from 'preact/hooks';
import { api, logIn } from '../api/client.ts';
import { AccountForm, type Credentials } from '../components/account-form.tsx';
import { announce } from '../components/announcer.tsx';
import { Alert, Page } from '../components/page.tsx';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';
import { safeNext } from './login.tsx';

const HINTS = {
  loginId: '4 to 32 characters: lowercase letters, digits or _.',
  password: '8 to 72 characters.',
};

export function SignupPage(props: { next: string | null }) {
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Partial<Credentials>>({});
  const [busy, setBusy] = useState(false);
  const next = safeNext(props.next);

  const submit = async ({ loginId, password }: Credentials) => {
    const problems = {
      loginId: /^[a-z0-9_]{4,32}$/.test(loginId) ? undefined : `Choose a login id of ${HINTS.loginId}`,
      password:
        password.length >= 8 && password.length <= 72 ? undefined : `Choose a password of ${HINTS.password}`,
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
      <AccountForm
        submitLabel="Create account"
        busyLabel="Creating your account…"
        busy={busy}
        creating
        hints={HINTS}
        errors={fields}
        onSubmit={submit}
      />
      <p>
        Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </Page>
  );
}
