// What the end-to-end tests need around the page: Debian's Chromium through playwright-core, an
// axe-core check, screenshots under test-results/e2e, and the seat map read as a person sees it.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

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

export const newPerson = async (browser: Browser) =>
  (await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Seoul' })).newPage();

let shot = 0;
export async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({
    path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
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
