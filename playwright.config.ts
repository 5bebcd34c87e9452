import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real UI in Debian's Chromium through the web host (the Electron
 * binary can't be downloaded where CI runs). Each spec file starts its own web host on a fresh
 * data folder (tests/e2e/support/web-host.ts).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // Says plainly when Chromium is missing (apt-get install chromium, or CHROMIUM_PATH).
  globalSetup: './tests/e2e/support/chromium-preflight.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
