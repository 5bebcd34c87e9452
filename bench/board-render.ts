import { chromium, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../scripts/demo-data/generate.ts';
import { startWebHost } from '../tests/e2e/support/web-host.ts';
import { demoDataCopy, percentiles, printTable, type Figures } from './support.ts';

/**
 * The dispatch board in Debian's Chromium over the 100,000-load demo data, through the web host
 * (what `npm run web` serves). Timings are taken inside the page with performance.now() and
 * requestAnimationFrame: "painted" means the frame after the rows appear in the DOM.
 *   - app start: reload (signed in) to the first board row painted;
 *   - opening the board: Alt+1 from the Customers screen (no board data cached) to its first row;
 *   - all 100k: the click that clears the status filter to the first rows of 100k painted,
 *     next to the bare data round trip (window.notchify.invoke('loads.list')) as the baseline;
 *   - scrolling: frame times while scrolling at a reading pace and at a fling, next to idle frames,
 *     and how many frames showed rows still loading.
 * Run: npm run build:renderer && node bench/board-render.ts [--data DIR] [--runs N]
 */
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 15;
const host = await startWebHost({ dataDir: await demoDataCopy(args) });
const profile = mkdtempSync(join(tmpdir(), 'notchify-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const BOARD = '[role=grid][aria-label="Dispatch board"]';

/** In the page: resolves with performance.now() of the first frame after `ready()` holds. */
const PAGE_HELPERS = `
window.__paintedWhen = (ready) => new Promise((resolve) => {
  const tick = () => (ready() ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(tick));
  tick();
});
window.__boardRows = () => document.querySelectorAll('${BOARD} [role=rowgroup] [role=row][id]').length;
window.__firstRowAt = null;
window.__paintedWhen(() => window.__boardRows() > 0).then((t) => { window.__firstRowAt = t; });
`;

async function coldStart(page: Page): Promise<number> {
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { __firstRowAt: number | null }).__firstRowAt !== null, undefined, { timeout: 30_000 });
  return page.evaluate(() => (window as unknown as { __firstRowAt: number }).__firstRowAt);
}

/** Clicks `chip` in the page and times it to the first frame that shows at least `minRows` rows in total, with data. */
function clickUntil(chip: Locator, minRows: number): Promise<number> {
  return chip.evaluate(async (el, min) => {
    const w = window as unknown as { __paintedWhen(ready: () => boolean): Promise<number>; __boardRows(): number };
    const grid = document.querySelector('[role=grid][aria-label="Dispatch board"]');
    const total = () => Number(grid?.getAttribute('aria-rowcount') ?? 0) - 1;
    const t0 = performance.now();
    (el as HTMLElement).click();
    const t1 = await w.__paintedWhen(() => total() >= min && grid?.getAttribute('aria-busy') !== 'true' && w.__boardRows() > 0);
    return t1 - t0;
  }, minRows);
}

interface ScrollResult { frames: number[]; framesWithBlanks: number; settleMs: number }

/** Scrolls the board `step` px a frame for `count` frames; then how long until every row on screen has data. */
function scroll(page: Page, step: number, count: number): Promise<ScrollResult> {
  return page.evaluate(async ({ step, count }) => {
    const grid = document.querySelector('[role=grid][aria-label="Dispatch board"]') as HTMLElement;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    const blanksInView = () => {
      const box = grid.getBoundingClientRect();
      return [...grid.querySelectorAll('[role=rowgroup] [role=row]:not([id])')].filter((row) => {
        const r = row.getBoundingClientRect();
        return r.bottom > box.top + 40 && r.top < box.bottom;
      }).length;
    };
    const frames: number[] = [];
    let framesWithBlanks = 0;
    let last = await frame();
    for (let i = 0; i < count; i++) {
      grid.scrollTop += step;
      const now = await frame();
      frames.push(now - last);
      last = now;
      if (blanksInView() > 0) framesWithBlanks++;
    }
    const stop = performance.now();
    while (blanksInView() > 0) await frame();
    return { frames, framesWithBlanks, settleMs: performance.now() - stop };
  }, { step, count });
}

function idleFrames(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const frames: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < count; i++) {
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      frames.push(now - last);
      last = now;
    }
    return frames;
  }, count);
}

try {
  const page = context.pages()[0] ?? (await context.newPage());
  /** A status chip's label, which is what a clerk clicks. */
  const chip = (name: string) => page.getByRole('group', { name: 'Status filter' }).getByText(name, { exact: true });
  await page.addInitScript(PAGE_HELPERS);
  await page.goto(host.url);
  await page.getByLabel('Email').fill('dee@demo.notchify.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`${BOARD} [role=row][id]`).first().waitFor();

  const cold: number[] = [];
  for (let i = 0; i < runs; i++) cold.push(await coldStart(page));

  // Opening the board in a running app: start on Customers after a reload (so no board data is
  // cached), then Alt+1 to the first board row painted.
  const open: number[] = [];
  const boardUrl = page.url();
  for (let i = 0; i < runs; i++) {
    await page.goto(boardUrl.replace(/#.*$/, '#/customers'));
    await page.reload();
    await page.getByRole('grid', { name: 'Customers' }).locator('[role=row][id]').first().waitFor();
    open.push(
      await page.evaluate(async () => {
        const w = window as unknown as { __paintedWhen(ready: () => boolean): Promise<number>; __boardRows(): number };
        const t0 = performance.now();
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '1', code: 'Digit1', altKey: true, bubbles: true }));
        return (await w.__paintedWhen(() => w.__boardRows() > 0)) - t0;
      }),
    );
  }

  // All 100k: clear the four open statuses; time the last click (one status → none = every load).
  const roundTrip: number[] = [];
  const allLoads: number[] = [];
  const total = await page.evaluate(async () => {
    const reply = await window.notchify?.invoke('loads.list', { statuses: [], sort: { field: 'pickupStart', dir: 'asc' }, offset: 0, limit: 100 });
    return reply?.ok ? (reply.value as { total: number }).total : 0;
  });
  for (let i = 0; i < runs; i++) {
    for (const name of ['Pending', 'Booked', 'Dispatched']) await chip(name).click();
    await page.waitForFunction(() => document.querySelector('[role=grid][aria-label="Dispatch board"]')?.getAttribute('aria-busy') === 'false');
    allLoads.push(await clickUntil(chip('In transit'), total));
    roundTrip.push(
      await page.evaluate(async (offset) => {
        const t0 = performance.now();
        await window.notchify?.invoke('loads.list', { statuses: [], sort: { field: 'pickupStart', dir: 'asc' }, offset, limit: 100 });
        return performance.now() - t0;
      }, i * 100),
    );
    await page.getByRole('button', { name: 'Reset filters' }).click();
    await page.locator(`${BOARD} [role=row][id]`).first().waitFor();
  }
  printTable(`Board in Chromium over ${total.toLocaleString()} loads, ${String(runs)} runs`, [
    percentiles('baseline: loads.list round trip from the page (first 100)', roundTrip),
    percentiles('app start: reload → first board row painted (open loads)', cold),
    percentiles('open the board: Alt+1 from Customers → first row painted', open),
    percentiles('all loads: status filter cleared → first 100 rows painted', allLoads),
  ]);

  // Scrolling over all loads.
  for (const name of ['Pending', 'Booked', 'Dispatched', 'In transit']) await chip(name).click();
  await page.waitForFunction((min) => Number(document.querySelector('[role=grid][aria-label="Dispatch board"]')?.getAttribute('aria-rowcount')) > min, total);
  await page.locator(`${BOARD} [role=row][id]`).first().waitFor();
  const idle = idleFrames(page, 120);
  const scrollFigures: Figures[] = [percentiles('idle frames (no scrolling)', await idle)];
  const notes: string[] = [];
  for (const [label, step, count] of [
    ['reading pace: 3 rows a frame (~6,000 px/s)', 100, 300],
    ['fling: 100 rows a frame (~200,000 px/s)', 3400, 120],
  ] as const) {
    const result = await scroll(page, step, count);
    scrollFigures.push(percentiles(`scroll, ${label}`, result.frames));
    notes.push(`${label}: ${String(result.framesWithBlanks)} of ${String(count)} frames showed rows still loading; all rows on screen filled ${result.settleMs.toFixed(0)} ms after the scroll stopped`);
  }
  printTable('Board scrolling: frame times', scrollFigures);
  for (const note of notes) console.log(note);
} finally {
  await context.close();
  await host.stop();
  rmSync(profile, { recursive: true, force: true });
}
