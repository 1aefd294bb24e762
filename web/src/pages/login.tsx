// Log in, then go back where the person came from.
import { useState } from 'preact/hooks';
import { logIn } from '../api/client.ts';
import { AccountForm, type Credentials } from '../components/account-form.tsx';
import { Alert, Page } from '../components/page.tsx';
import { plainMessage } from '../messages.ts';
import { Link, navigate } from '../router.ts';

/** Only a path on this site (and not back to a login form), so a crafted ?next= leads nowhere else. */
export const safeNext = (next: string | null) =>
  next && /^\/(?![/\\])/.test(next) && !/^\/(login|signup)\b/.test(next) ? next : '/';

export function LoginPage(props: { next: string | null }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const next = safeNext(props.next);

  const submit = async ({ loginId, password }: Credentials) => {
    if (!loginId || !password) return setError('Enter your login id and your password.');
    setBusy(true);
    setError('');
    try {
      await logIn(loginId, password);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(plainMessage(failure, 'login'));
      setBusy(false);
    }
  };

  return (
    <Page title="Log in">
      <Alert message={error} />
      <AccountForm submitLabel="Log in" busyLabel="Logging in…" busy={busy} onSubmit={submit} />
      <p>
        New to Marquee? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </Page>
  );
}
