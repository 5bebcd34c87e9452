import { createRequire } from 'node:module';

export type ElectronBinary = { ok: true; binary: string } | { ok: false; message: string; exitCode: number };

/** Under plain Node the electron package exports the path of its binary. */
const requireElectron = (): unknown => createRequire(import.meta.url)('electron');

/**
 * Finds the Electron binary for `npm start`. Resolving the package runs its lazy download when the
 * binary is not there yet (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or no route to GitHub);
 * when that fails, the answer says so plainly and points to `npm run web`, the same app in a browser.
 */
export function resolveElectron(resolve: () => unknown = requireElectron): ElectronBinary {
  try {
    const binary = resolve();
    if (typeof binary !== 'string') throw new Error('the electron package did not name a binary');
    return { ok: true, binary };
  } catch (error) {
    return { ok: false, exitCode: 1, message: missingElectronMessage(error) };
  }
}

function missingElectronMessage(error: unknown): string {
  return [
    '',
    'The Electron binary is not installed, and it could not be downloaded',
    `(${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}).`,
    '',
    'Run the same app in your browser instead:   npm run web',
    'Or, on a machine that can reach github.com: npx install-electron --no   then   npm start',
    '',
  ].join('\n');
}
