import type { FullConfig } from '@playwright/test';
import { accessSync, constants, statSync } from 'node:fs';

/** Why the e2e tests cannot start Chromium at `path`, or null when they can. */
export function chromiumProblem(path: string): string | null {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return [
      `The end-to-end tests drive a system Chromium, and there is no runnable one at ${path}.`,
      '  Install Debian\'s:        sudo apt-get install chromium',
      '  Or point at another one: CHROMIUM_PATH=/path/to/chromium npm run test:e2e',
      '(Playwright never downloads a browser here.)',
    ].join('\n');
  }
}

/** Playwright globalSetup: a clear refusal before any test, in place of Playwright's launch error. */
export default function checkChromium(config: FullConfig): void {
  const paths = new Set(config.projects.flatMap((p) => p.use.launchOptions?.executablePath ?? []));
  const problems = [...paths].map(chromiumProblem).filter((p) => p !== null);
  if (problems.length > 0) throw new Error(problems.join('\n\n'));
}
