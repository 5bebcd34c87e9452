import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveElectron } from './electron-binary.ts';

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

const electron = resolveElectron();
if (!electron.ok) {
  console.error(electron.message);
  process.exit(electron.exitCode);
}

const child = spawn(electron.binary, [join(root, 'dist', 'electron', 'main.js')], { cwd: root, stdio: 'inherit', env: process.env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
