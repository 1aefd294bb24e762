// The seat-map page end to end on the real stack (`node src/entries/dev.ts`: wrangler dev serving
// the built page as static assets, on this test run's Postgres), in Debian's Chromium: two people,
// A and B, and an admin, each in a browser context of their own. Every view is checked with
// axe-core; screenshots go to test-results/e2e. The admin also checks a screening's sales and the
// sales dashboard (figures, charts with their tables, a CSV download). The API reference (/docs)
// renders there too.
import { readFile } from 'node:fs/promises';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from 'vitest';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { type DevStack, removeDevDirs, startDev, waitFor } from '../support/dev-stack.ts';
import {
  alerts,
  launchChromium,
  newPerson,
  type Place,
  screenshot,
  seat,
  seriousViolations,
  statuses,
} from './browser.ts';

const HOLD_TTL_SECONDS = 8;
const PASSWORD = 'popcorn-please';
const LIVE = /^Live:/;
const suffix = Date.now().toString(36);
// The seats each step uses; rows B to G of the demo's Hall 1 have 12 seats each.
const BOUGHT: Place[] = [
  ['D', 5],
  ['D', 6],
];
const EXPIRING: Place[] = [['E', 7]];
const DECLINED: Place[] = [['G', 3]];
const BLOCKED: Place[] = [['F', 3]];
const GAP: Place[] = [
  ['C', 2],
  ['C', 3],
];

let base: string;
let dev: DevStack;
let browser: Browser;
let a: Page;
let b: Page;
let admin: Page;
let screeningUrl: string;
let screeningId: string;
let reservationNo: string;

async function setUp(): Promise<void> {
  browser = await launchChromium(); // first: without a browser there is nothing to wait for
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dev = await startDev({
    PORT: String(port),
    DATABASE_URL: inject('databaseUrl'),
    HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
    ADMIN_LOGIN_ID: inject('adminLoginId'),
    ADMIN_PASSWORD: inject('adminPassword'),
  });
  await waitFor(`${base}/health`, dev.child, 150_000).catch((error: Error) => {
    throw new Error(`${error.message}; the stack said:\n${dev.output()}`);
  });
  [a, b, admin] = await Promise.all([newPerson(browser), newPerson(browser), newPerson(browser)]);
}

// A failed setup (no browser, a stack that does not start) fails every test rather than skipping it.
let ready: Promise<void>;
beforeAll(() => {
  ready = setUp();
  ready.catch(() => {});
});
beforeEach(async () => {
  // A failed step leaves a picture of every screen behind.
  onTestFailed(async () => {
    for (const [name, page] of [
      ['a', a],
      ['b', b],
      ['admin', admin],
    ] as const) {
      if (page && !page.isClosed()) await screenshot(page, `failed-${name}`).catch(() => {});
    }
  });
  await ready;
});

afterAll(async () => {
  await browser?.close();
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGINT');
    await Promise.race([dev.exited, new Promise((done) => setTimeout(done, 15_000))]);
    dev.child.kill('SIGKILL');
  }
  await removeDevDirs();
});

/** Screenshot, then no serious or critical axe-core violation. */
async function accessible(page: Page, view: string): Promise<void> {
  await screenshot(page, view);
  expect(await seriousViolations(page), view).toEqual([]);
}

async function signUp(page: Page, loginId: string): Promise<void> {
  await page.getByLabel('Login id').fill(loginId);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(`Signed in as ${loginId}`).waitFor();
}

/** Chooses the seats on `page`, presses Hold, and returns the status of the API's answer. */
async function hold(page: Page, seats: Place[]): Promise<number> {
  for (const [row, seatNo] of seats) await seat(page, row, seatNo).click();
  const answer = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/holds'),
  );
  await page.getByRole('button', { name: `Hold ${seats.length} seat${seats.length > 1 ? 's' : ''}` }).click();
  return (await answer).status();
}

async function openMap(page: Page): Promise<void> {
  await page.goto(screeningUrl);
  await page.getByText(LIVE).waitFor();
}

async function pay(page: Page, card: string): Promise<void> {
  await page.getByTestId('countdown').waitFor();
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay / }).click();
}

/** Calls the API from the test as the member logged in on `page`. */
async function apiAs(page: Page, method: string, path: string, body?: unknown) {
  const token = await page.evaluate(
    () => JSON.parse(sessionStorage.getItem('marquee.session') ?? '{}').accessToken,
  );
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

const seatIds = (page: Page, seats: Place[]) =>
  Promise.all(seats.map(([row, seatNo]) => seat(page, row, seatNo).getAttribute('data-seat-id')));

/** Waits until every page shows every seat as `status`; API.md promises changes within 1 s. */
const seeing = (pages: Page[], seats: Place[], status: string, timeout = 1_000) =>
  expect
    .poll(async () => (await Promise.all(pages.map((page) => statuses(page, seats)))).flat(), {
      timeout,
      interval: 20,
    })
    .toEqual(pages.flatMap(() => seats.map(() => status)));

describe('the seat-map page', () => {
  it('is served by the Worker, which still answers /api, /health, /openapi.json and /docs itself', async () => {
    const navigation = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
    const home = await fetch(`${base}/`, { headers: navigation });
    const html = await home.text();
    expect([home.status, html]).toEqual([200, expect.stringContaining('<div id="app">')]);
    // web/public/_headers: the page runs under a strict policy (every test below runs under it too).
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const bundle = await fetch(`${base}${script}`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('javascript'),
    ]);
    const deepLink = await fetch(`${base}/screenings/some-screening`, { headers: navigation });
    expect([deepLink.status, await deepLink.text()]).toEqual([200, html]);
    const unknownApi = await fetch(`${base}/api/nothing-here`, { headers: navigation });
    expect([unknownApi.status, unknownApi.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json',
    ]);
    for (const path of ['/health', '/openapi.json', '/docs']) {
      const response = await fetch(`${base}${path}`, { headers: navigation });
      expect([path, response.status, response.headers.get('x-request-id')]).toEqual([
        path,
        200,
        expect.any(String),
      ]);
    }
  });

  it('renders the API reference at /docs from this origin alone, under its CSP', async () => {
    const reader = await newPerson(browser);
    const requested: string[] = [];
    const refused: string[] = [];
    reader.on('request', (request) => requested.push(request.url()));
    reader.on('pageerror', (error) => refused.push(error.message));
    reader.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await reader.goto(`${base}/docs`);
    await reader.getByRole('heading', { name: 'Marquee API' }).waitFor();
    await reader.getByText('Create a USER account').first().waitFor();
    await screenshot(reader, 'api-reference');
    expect(requested.filter((url) => new URL(url).origin !== base)).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([
        `${base}/docs/swagger-ui.css`,
        `${base}/docs/swagger-ui-bundle.js`,
        `${base}/openapi.json`,
      ]),
    );
    expect(refused).toEqual([]);
    await reader.context().close();
  });

  it('lets A sign up and B log in, telling B in plain words when the password is wrong', async () => {
    await a.goto(`${base}/signup`);
    await a.getByRole('heading', { name: 'Create an account' }).waitFor();
    await accessible(a, 'signup');
    await signUp(a, `a_${suffix}`);
    await a.getByRole('heading', { name: 'Screenings' }).waitFor();

    await b.goto(`${base}/login`);
    await b.getByRole('heading', { name: 'Log in' }).waitFor();
    await b.getByLabel('Login id').fill(`a_${suffix}`);
    await b.getByLabel('Password').fill('not-the-password');
    await b.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => alerts(b)).toBe('That login id and password do not match. Please try again.');
    await accessible(b, 'login');
    await b.getByRole('link', { name: 'Create an account' }).click();
    await signUp(b, `b_${suffix}`);
  });

  it("lists tomorrow's screenings and opens one seat map for A and, by its address, for B", async () => {
    await a.getByRole('button', { name: 'Tomorrow' }).click();
    await a.waitForURL(/date=/);
    await a.locator('.loading').waitFor({ state: 'detached' });
    // The demo screening of tomorrow morning (other tests add screenings of their own).
    await a.getByLabel('Movie').selectOption({ label: 'The Last Projectionist' });
    await a.waitForURL(/movie=/);
    await a.locator('.loading').waitFor({ state: 'detached' });
    await accessible(a, 'screenings');
    await a.locator('a.showtime', { hasText: 'Marquee Central, Hall 1' }).first().click();
    await a.getByText(LIVE).waitFor();
    screeningUrl = a.url();
    screeningId = new URL(screeningUrl).pathname.split('/').pop() ?? '';
    await openMap(b); // a reload of this address needs the Worker's single-page fallback
    await accessible(a, 'seat-map');
  });

  it('works with the keyboard alone: one tab stop, arrow keys, Space and Enter, each choice announced', async () => {
    expect(await b.locator('button.seat[tabindex="0"]').count()).toBe(1);
    await seat(b, 'B', 1).focus();
    await b.keyboard.press('ArrowRight');
    await b.keyboard.press('ArrowDown');
    expect(await b.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Row C, seat 2, Standard, available, 12,000 won',
    );
    await b.keyboard.press('Space');
    expect(await seat(b, 'C', 2).getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => b.getByTestId('announcer').textContent())
      .toBe('Row C, seat 2 selected, 12,000 won. 1 seat selected, 12,000 won in total.');
    await b.keyboard.press('Enter');
    expect(await seat(b, 'C', 2).getAttribute('aria-pressed')).toBe('false');
    await expect
      .poll(() => b.getByTestId('announcer').textContent())
      .toBe('Row C, seat 2 removed. No seats selected.');
  });

  it('A holds two seats: B sees them held within a second and cannot take them', async () => {
    await seat(b, 'D', 6).click(); // B had chosen one of them too
    expect(await hold(a, BOUGHT)).toBe(201);
    await seeing([b], BOUGHT, 'HOLD'); // within 1 s of A's 201
    expect(await alerts(b)).toBe(
      'Sorry, Row D, seat 6 was just taken by someone else and left your selection.',
    );
    // A held seat is aria-disabled, which Playwright would wait out; a person can still press it.
    await seat(b, 'D', 5).click({ force: true });
    expect(await alerts(b)).toBe(
      'Sorry, Row D, seat 5 was just taken by someone else. Please choose another seat.',
    );
    await screenshot(b, 'b-sees-held');
    const refused = await apiAs(b, 'POST', `/api/screenings/${screeningId}/holds`, {
      seatIds: await seatIds(b, [['D', 5]]),
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);
  });

  it('A pays with the test card and gets a reservation number; B sees the seats sold', async () => {
    await a.waitForURL(/\/checkout\//);
    await a.getByTestId('countdown').waitFor();
    await accessible(a, 'checkout');
    await pay(a, '4242 4242 4242 4242');
    await a.waitForURL(/\/reservations\/.+\?confirmed/);
    reservationNo = (await a.getByTestId('reservation-no').textContent()) ?? '';
    expect(reservationNo).toMatch(/^[A-Z0-9-]{6,}$/);
    await seeing([b], BOUGHT, 'RESERVED', 2_000);
    await accessible(a, 'confirmation');
    await screenshot(b, 'b-sees-reserved');
  });

  it("A's hold running out frees the seat on B's screen, and A is told", async () => {
    await openMap(a);
    expect(await hold(a, EXPIRING)).toBe(201);
    const heldAt = Date.now();
    await seeing([b], EXPIRING, 'HOLD');
    await a.getByTestId('countdown').waitFor();
    await seeing([b], EXPIRING, 'AVAILABLE', (HOLD_TTL_SECONDS + 10) * 1000);
    expect(Date.now() - heldAt).toBeGreaterThan((HOLD_TTL_SECONDS - 1) * 1000);
    await expect
      .poll(() => alerts(a), { timeout: 5_000 })
      .toBe('Your hold expired and the seats were released. Please choose your seats again.');
    await screenshot(a, 'a-hold-expired');
    await screenshot(b, 'b-sees-freed');
  });

  it('a declined card is said in plain words, and its seat is free again for B', async () => {
    await openMap(a);
    expect(await hold(a, DECLINED)).toBe(201);
    await pay(a, '4000 0000 0000 0002');
    await expect
      .poll(() => alerts(a))
      .toBe(
        'Your card was declined. Nothing was charged and your seats were released. Choose your seats again to try another card.',
      );
    await seeing([b], DECLINED, 'AVAILABLE', 2_000);
    await screenshot(a, 'a-card-declined');
    await a.getByRole('link', { name: 'Choose seats again' }).click();
    await a.getByText(LIVE).waitFor();
  });

  it('an admin sees the day and the sales, blocks a seat that A and B then see blocked, and unblocks it', async () => {
    await admin.goto(`${base}/login?next=%2Fadmin`);
    await admin.getByLabel('Login id').fill(inject('adminLoginId'));
    await admin.getByLabel('Password').fill(inject('adminPassword'));
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Tomorrow' }).click();
    const row = admin.locator('tr', { has: admin.locator(`a[href="/admin/screenings/${screeningId}"]`) });
    await expect // sold, held
      .poll(async () => (await row.locator('td').allTextContents()).slice(3, 5), { timeout: 15_000 })
      .toEqual(['2', '0']);
    await admin.getByTestId('admin-reservations').waitFor();
    await accessible(admin, 'admin');

    await row.getByRole('link', { name: /^Manage seats/ }).click();
    await admin.getByText(LIVE).waitFor();
    await expect
      .poll(() => admin.getByTestId('admin-reservations').textContent(), { timeout: 5_000 })
      .toContain(reservationNo);
    const report = admin.getByTestId('screening-report');
    await expect
      .poll(() => report.textContent(), { timeout: 5_000 })
      .toMatch(/Sold2 of \d+Held now0Blocked now0/);
    await accessible(admin, 'admin-screening');
    await seat(admin, ...BLOCKED[0]!).click();
    await admin.getByLabel('Reason for blocking').fill('broken armrest');
    await admin.getByRole('button', { name: 'Block 1 seat' }).click();
    await seeing([a, b], BLOCKED, 'BLOCKED');
    await expect.poll(() => report.textContent(), { timeout: 5_000 }).toContain('Blocked now1');
    await screenshot(b, 'b-sees-blocked');

    await seat(admin, ...BLOCKED[0]!).click();
    await admin.getByRole('button', { name: 'Unblock 1 seat' }).click();
    await seeing([a, b], BLOCKED, 'AVAILABLE');
  });

  it('A finds the reservation in My reservations and cancels it; B sees its seats free again', async () => {
    await a.getByRole('link', { name: 'My reservations' }).click();
    await a.getByRole('heading', { name: reservationNo }).waitFor();
    await accessible(a, 'my-reservations');
    await a.getByRole('button', { name: 'Cancel reservation' }).click();
    await a.getByRole('button', { name: 'Yes, cancel it' }).click();
    await a.locator('.success', { hasText: `Reservation ${reservationNo} is cancelled.` }).waitFor();
    await seeing([b], BOUGHT, 'AVAILABLE', 5_000);
    await screenshot(a, 'a-cancelled');
  });

  it("an admin's sales dashboard shows today's sale and refund as figures, charts and tables, and downloads CSV", async () => {
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.getByRole('link', { name: 'Sales dashboard' }).click();
    await admin.getByRole('heading', { name: 'Sales dashboard', level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Today' }).click();
    const figures = admin.getByTestId('figures');
    await expect.poll(() => figures.textContent(), { timeout: 5_000 }).toMatch(/Refunded[1-9][\d,]* won/);
    expect(await admin.getByRole('img', { name: /^Sales per day over 1 day/ }).count()).toBe(1);
    await admin.getByRole('img', { name: /^Top \d+ movies? by revenue/ }).waitFor();
    await admin.getByText('Sales per day as a table').click();
    await admin.getByText('Top movies as a table').click();
    expect(await admin.getByTestId('daily-sales').locator('tbody tr').count()).toBe(1);

    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'Download sales per day (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^daily-sales-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('date,revenue,refunds,reservations,seatsSold');

    await admin.getByRole('button', { name: 'Last 7 days' }).click();
    await expect.poll(() => admin.getByTestId('daily-sales').locator('tbody tr').count()).toBe(7);
    await accessible(admin, 'admin-dashboard');
  });

  it('re-reads the snapshot after a version gap, and says so when the socket drops and comes back', async () => {
    const c = await newPerson(browser);
    let dropNextBatch = true;
    let refuse = false;
    const routes: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await c.routeWebSocket(/\/live$/, (ws) => {
      if (refuse) return ws.close();
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (dropNextBatch && String(message).includes('"type":"seats"')) {
          dropNextBatch = false; // this change never reaches the page
          return;
        }
        ws.send(message);
      });
      ws.onMessage((message) => server.send(message));
      routes.push({ page: ws, server });
    });
    await openMap(c);

    const [c2, c3] = await seatIds(c, GAP);
    const first = await apiAs(a, 'POST', `/api/screenings/${screeningId}/holds`, { seatIds: [c2] });
    const second = await apiAs(a, 'POST', `/api/screenings/${screeningId}/holds`, { seatIds: [c3] });
    expect([first.status, second.status]).toEqual([201, 201]);
    await seeing([c], GAP, 'HOLD', 2_000); // only the second change reached the page

    refuse = true;
    const last = routes.at(-1);
    await last?.page.close();
    await last?.server.close();
    await c
      .getByText(/^Live updates were interrupted\. Reconnecting in \d+ seconds?…$/)
      .waitFor({ timeout: 3_000 });
    await accessible(c, 'reconnecting');
    expect(
      (await apiAs(a, 'DELETE', `/api/screenings/${screeningId}/holds/${first.body.holdToken}`)).status,
    ).toBe(204);
    refuse = false;
    await c.getByText('Live updates are back. The seat map is up to date.').waitFor({ timeout: 20_000 });
    await seeing([c], GAP.slice(0, 1), 'AVAILABLE', 2_000); // released while the page was offline
    await seeing([c], GAP.slice(1), 'HOLD', 2_000);
    await apiAs(a, 'DELETE', `/api/screenings/${screeningId}/holds/${second.body.holdToken}`);
  });

  it('a sale with a waiting room: A joins, keeps a place through a reload, goes into the seat map with the admission; the admin sees the counts', async () => {
    const demo = (await apiAs(a, 'GET', `/api/screenings/${screeningId}`)).body;
    const startTime = new Date(Date.UTC(2031, 5, 1 + Math.floor(Math.random() * 300), 9)).toISOString();
    const created = await apiAs(admin, 'POST', '/api/admin/screenings', {
      movieId: demo.movie.id,
      screenId: demo.screen.id,
      startTime,
      salesOpenAt: new Date(Date.now() + 20_000).toISOString(), // time to join, check and reload first
      prices: demo.prices,
      waitingRoom: { admitPerMinute: 600, opensBeforeMinutes: 30 },
    });
    expect(created.status).toBe(201);
    const roomUrl = `${base}/screenings/${created.body.id}`;

    await a.goto(roomUrl);
    await a.getByRole('button', { name: 'Join the queue' }).click();
    const status = a.getByTestId('queue-status');
    await status.getByText(/Places are drawn when sales open/).waitFor();
    await accessible(a, 'queue-waiting');
    await a.reload(); // the ticket is kept on this device: no second join, the same place
    await status.waitFor();
    expect(await a.getByRole('button', { name: 'Join the queue' }).count()).toBe(0);

    // At the opening the room draws and admits; the page asks again when told and opens the map.
    await a.getByText(LIVE).waitFor({ timeout: 45_000 });
    await accessible(a, 'queue-admitted-seat-map');
    expect(await hold(a, EXPIRING)).toBe(201);

    await admin.goto(`${base}/admin/screenings/${created.body.id}`);
    await admin.getByTestId('queue-counts').getByText('Waiting 0 · Admitted 1 · 600 a minute').waitFor();
    await accessible(admin, 'admin-waiting-room');
  });
});
