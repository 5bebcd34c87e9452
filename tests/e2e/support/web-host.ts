import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');

export interface RunningHost {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  /** What the host printed (for a failing test's report). */
  output(): string;
  /** Row counts straight from the SQLite file, read-only, to prove what was (not) written. */
  counts(): Record<'customers' | 'carriers' | 'users' | 'outbox' | 'audit_log', number>;
}

/**
 * Starts `node electron/web-host/cli.ts` (what `npm run web` runs) on a free port, on a fresh data
 * folder or on `dataDir` (e.g. demo data). `stop()` removes the folder either way.
 */
export async function startWebHost(options: { dataDir?: string } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'notchify-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'electron/web-host/cli.ts'), '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, NOTCHIFY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /open: (http:\/\/127\.0\.0\.1:\d+\/\?key=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`web host exited (${String(code)}):\n${output}`)));
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        // A host that does not finish closing in 10 s is killed: a stuck shutdown must not hang the suite.
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    output: () => output,
    counts() {
      const db = new Database(join(dataDir, 'notchify.db'), { readonly: true });
      try {
        const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        return {
          customers: count('customers'),
          carriers: count('carriers'),
          users: count('users'),
          outbox: count('outbox'),
          audit_log: count('audit_log'),
        };
      } finally {
        db.close();
      }
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
