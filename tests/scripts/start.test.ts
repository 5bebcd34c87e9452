import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveElectron, type ElectronBinary } from '../../scripts/electron-binary.ts';
import { tempDir } from '../support/engine.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ELECTRON_PACKAGE = join(ROOT, 'node_modules', 'electron');

function electronInstalled(): boolean {
  const pathFile = join(ELECTRON_PACKAGE, 'path.txt');
  return existsSync(pathFile) && existsSync(join(ELECTRON_PACKAGE, 'dist', readFileSync(pathFile, 'utf8')));
}

function expectPlainRefusal(result: ElectronBinary): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.message).toMatch(/Electron binary is not installed/);
  expect(result.message).toContain('npm run web');
  expect(result.exitCode).not.toBe(0);
}

describe('npm start without the Electron binary', () => {
  it('says the binary is not installed, names npm run web, and fails', () => {
    const result = resolveElectron(() => {
      throw new Error('Electron failed to install correctly. Please delete `node_modules/electron` and run "npx install-electron --no" manually.');
    });
    expectPlainRefusal(result);
    if (!result.ok) expect(result.message).toContain('Electron failed to install correctly');
  });

  it('hands over the binary when the electron package names one', () => {
    expect(resolveElectron(() => '/opt/electron/electron')).toEqual({ ok: true, binary: '/opt/electron/electron' });
  });

  // The real electron package. Installed with ELECTRON_SKIP_BINARY_DOWNLOAD, resolving it tries the
  // download; the mirror points at a closed local port so the attempt fails at once, offline too.
  it('resolves the real electron package: its binary where installed, else the plain refusal', () => {
    const { dir, cleanup } = tempDir('notchify-electron-');
    try {
      const mirror = 'http://127.0.0.1:9/';
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        npm_config_electron_mirror: mirror,
        ELECTRON_MIRROR: mirror,
        electron_config_cache: dir,
      };
      delete env.ELECTRON_OVERRIDE_DIST_PATH;
      const probe = `const { resolveElectron } = await import(process.argv[1]);
console.log('RESULT ' + JSON.stringify(resolveElectron()));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe, join(ROOT, 'scripts', 'electron-binary.ts')], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      expect(line, run.stderr).toBeDefined();
      const result = JSON.parse(line?.slice('RESULT '.length) ?? 'null') as ElectronBinary;
      if (electronInstalled()) expect(result).toMatchObject({ ok: true, binary: expect.stringContaining('electron') as unknown });
      else expectPlainRefusal(result);
    } finally {
      cleanup();
    }
  });
});
