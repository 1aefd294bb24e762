// The page's frame (skip link, header, navigation, main) and which view a path shows.
import type { VNode } from 'preact';
import { logOut } from './api/client.ts';
import { type Session, useSession } from './api/session.ts';
import { Announcer } from './components/announcer.tsx';
import { Alert, Loading, Page } from './components/page.tsx';
import { useLoad } from './hooks/use-load.ts';
import { plainMessage } from './messages.ts';
import { AdminOnly, AdminPage } from './pages/admin.tsx';
import { AdminDashboardPage } from './pages/admin-dashboard.tsx';
import { AdminScreeningPage } from './pages/admin-screening.tsx';
import { CheckoutPage } from './pages/checkout.tsx';
import { ReservationPage } from './pages/confirmation.tsx';
import { LoginPage } from './pages/login.tsx';
import { ReservationsPage } from './pages/reservations.tsx';
import { ScreeningsPage } from './pages/screenings.tsx';
import { SeatMapPage } from './pages/seat-map-page.tsx';
import { SignupPage } from './pages/signup.tsx';
import { QueueGate } from './pages/waiting-room.tsx';
import { Link, type Location, match, navigate, useLocation } from './router.ts';
import { loadTimeZone } from './time-zone.ts';

type Params = Record<string, string>;
type Render = (params: Params, query: URLSearchParams, session: Session | null, path: string) => VNode;

const adminOnly =
  (render: Render): Render =>
  (params, query, session, path) =>
    session?.me.role === 'ADMIN' ? render(params, query, session, path) : <AdminOnly path={path} />;

const ROUTES: [string, Render][] = [
  ['/', (_, query) => <ScreeningsPage query={query} />],
  ['/login', (_, query) => <LoginPage next={query.get('next')} />],
  ['/signup', (_, query) => <SignupPage next={query.get('next')} />],
  [
    '/screenings/:id',
    (params) => (
      <QueueGate id={params.id as string}>
        <SeatMapPage id={params.id as string} />
      </QueueGate>
    ),
  ],
  [
    '/checkout/:screeningId/:holdToken',
    (params) => (
      <CheckoutPage screeningId={params.screeningId as string} holdToken={params.holdToken as string} />
    ),
  ],
  ['/reservations', () => <ReservationsPage />],
  [
    '/reservations/:no',
    (params, query) => (
      <ReservationPage reservationNo={params.no as string} confirmed={query.has('confirmed')} />
    ),
  ],
  ['/admin', adminOnly((_, query) => <AdminPage query={query} />)],
  ['/admin/dashboard', adminOnly((_, query) => <AdminDashboardPage query={query} />)],
  ['/admin/screenings/:id', adminOnly((params) => <AdminScreeningPage id={params.id as string} />)],
];

function view({ path, query }: Location, session: Session | null): VNode {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params, query, session, path);
  }
  return (
    <Page title="Page not found">
      <p>
        There is no page here. <Link href="/">See what is on</Link>
      </p>
    </Page>
  );
}

function NavLink(props: { href: string; current: string; children: string }) {
  const here = props.href === '/' ? props.current === '/' : props.current.startsWith(props.href);
  return (
    <Link href={props.href} aria-current={here ? 'page' : undefined}>
      {props.children}
    </Link>
  );
}

export function App() {
  const location = useLocation();
  const session = useSession();
  // Every date and time on the page is the cinema's: nothing is shown before its zone is known.
  const zone = useLoad(loadTimeZone, []);
  const leave = async () => {
    await logOut();
    navigate('/');
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="site-header">
        <Link href="/" class="brand">
          Marquee
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink href="/" current={location.path}>
                Screenings
              </NavLink>
            </li>
            {session && (
              <li>
                <NavLink href="/reservations" current={location.path}>
                  My reservations
                </NavLink>
              </li>
            )}
            {session?.me.role === 'ADMIN' && (
              <li>
                <NavLink href="/admin" current={location.path}>
                  Admin
                </NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div class="account">
          {session ? (
            <>
              <span>
                Signed in as <strong>{session.me.loginId}</strong>
              </span>
              <button type="button" onClick={leave}>
                Log out
              </button>
            </>
          ) : (
            <>
              <Link href={`/login?next=${encodeURIComponent(location.path)}`}>Log in</Link>
              <Link href="/signup">Sign up</Link>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} key={location.path}>
        {zone.data ? (
          view(location, session)
        ) : (
          <div class="page">
            <Alert message={zone.error ? plainMessage(zone.error) : ''} />
            {zone.error ? (
              <button type="button" onClick={zone.reload}>
                Try again
              </button>
            ) : (
              <Loading what="Marquee" />
            )}
          </div>
        )}
      </main>
      <footer class="site-footer">
        <p>
          Marquee, an open seat-reservation service. <a href="/docs">API reference</a>
        </p>
      </footer>
      <Announcer />
    </>
  );
}
