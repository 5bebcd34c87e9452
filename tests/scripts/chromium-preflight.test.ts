import type { FullConfig } from '@playwright/test';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import playwrightConfig from '../../playwright.config.ts';
import checkChromium from '../e2e/support/chromium-preflight.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The part of Playwright's resolved config the pre-flight reads. */
function configWith(executablePath: string): FullConfig {
  return { projects: [{ use: { launchOptions: { executablePath } } }] } as unknown as FullConfig;
}

describe('the e2e pre-flight for Chromium', () => {
  it('refuses a missing Chromium and names both fixes', () => {
    expect(() => checkChromium(configWith('/nonexistent/chromium'))).toThrow(/no runnable one at \/nonexistent\/chromium/);
    expect(() => checkChromium(configWith('/nonexistent/chromium'))).toThrow(/apt-get install chromium/);
    expect(() => checkChromium(configWith('/nonexistent/chromium'))).toThrow(/CHROMIUM_PATH=/);
  });

  it('refuses a folder in place of the binary', () => {
    expect(() => checkChromium(configWith(ROOT))).toThrow(/apt-get install chromium/);
  });

  it('lets the run go on when the binary is there', () => {
    expect(() => checkChromium(configWith(process.execPath))).not.toThrow();
  });

  it('is the globalSetup of the Playwright config, which takes CHROMIUM_PATH over /usr/bin/chromium', () => {
    expect(resolve(ROOT, playwrightConfig.globalSetup as string)).toBe(resolve(ROOT, 'tests/e2e/support/chromium-preflight.ts'));
    expect(playwrightConfig.use?.launchOptions?.executablePath).toBe(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  });
});
