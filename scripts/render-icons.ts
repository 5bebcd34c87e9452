import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Renders resources/icons/icon.svg into the PNGs electron-builder packs: icon.png (1024 px, made
 * into .icns and .ico at build time) and the NxN.png set Linux takes as it is. Run it after changing
 * the SVG: node scripts/render-icons.ts   (uses Debian's Chromium, or CHROMIUM_PATH)
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons');
const svg = readFileSync(join(folder, 'icon.svg'));
const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
const outputs: [number, string][] = [[1024, 'icon.png'], ...[16, 32, 48, 64, 128, 256, 512].map((n): [number, string] => [n, `${String(n)}x${String(n)}.png`])];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const [size, name] of outputs) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<!doctype html><body style="margin:0;background:transparent"><img id="icon" src="${src}" width="${String(size)}" height="${String(size)}" style="display:block"></body>`);
    await page.waitForFunction(() => (document.getElementById('icon') as HTMLImageElement | null)?.complete === true);
    await page.screenshot({ path: join(folder, name), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  }
} finally {
  await browser.close();
}
