import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`: builds the renderer and the Electron main process, then runs the Electron app.
 * Electron 45 fetches its binary on first use; where that is impossible (no route to GitHub),
 * this says so plainly and points to `npm run web`, the same app in a browser.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

for (const script of ['build:renderer', 'build:electron']) {
  const result = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let electronBinary: string;
try {
  // Resolving the package runs its lazy download when the binary is not there yet.
  electronBinary = createRequire(import.meta.url)('electron') as string;
} catch (error) {
  console.error(
    [
      '',
      'The Electron binary is not installed, and it could not be downloaded',
      `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`,
      '',
      'Run the same app in your browser instead:   npm run web',
      'Or, on a machine that can reach github.com: npx install-electron --no   then   npm start',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const child = spawn(electronBinary, [join(root, 'dist', 'electron', 'main.js')], { cwd: root, stdio: 'inherit', env: process.env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
