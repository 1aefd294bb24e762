// What the end-to-end tests need around the page: Debian's Chromium through playwright-core, an
// axe-core check, screenshots under test-results/e2e, and the seat map read as a person sees it.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The network is closed: without these Chromium stalls on connections it cannot make.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = join(import.meta.dirname, '../../test-results/e2e');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  }
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Where the tests' posters live: every context answers it with POSTER_PNG (the network is closed). */
export const POSTER_ORIGIN = 'https://posters.marquee.test';
const POSTER_PNG = new Resvg(
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f4b942"/><stop offset="1" stop-color="#5b1a3a"/></linearGradient></defs>
    <rect width="200" height="300" fill="url(#g)"/>
    <circle cx="100" cy="120" r="55" fill="#fff3d6" opacity="0.85"/>
    <rect x="20" y="230" width="160" height="14" rx="7" fill="#fff" opacity="0.8"/>
  </svg>`,
)
  .render()
  .asPng();

/** A person's browser: a desktop in Seoul unless `options` say otherwise (a phone, another zone). */
export async function newPerson(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Asia/Seoul',
    ...options,
  });
  await context.route(`${POSTER_ORIGIN}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: POSTER_PNG }),
  );
  return context.newPage();
}

/** A phone: small touch screen, no mouse. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

let shot = 0;
/** The whole page, or with `fullPage` false only what the screen shows. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage });
}

let axeSource: string | undefined;
/** Serious and critical axe-core violations of the page as it is now (their ids and first targets). */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.id}: ${violation.nodes.map((node: any) => node.target.join(' ')).join(', ')}`,
      );
  });
}

export type Place = [row: string, seatNo: number];

/** The seat button of "Row C, seat 5". */
export const seat = (page: Page, row: string, seatNo: number) =>
  page.locator(`button.seat[aria-label^="Row ${row}, seat ${seatNo},"]`);

export const statuses = (page: Page, seats: Place[]) =>
  Promise.all(seats.map(([row, seatNo]) => seat(page, row, seatNo).getAttribute('data-status')));

/** The text of the page's error boxes. */
export const alerts = async (page: Page) => (await page.locator('[role=alert]').allTextContents()).join(' ');
