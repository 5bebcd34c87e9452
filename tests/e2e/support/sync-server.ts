import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const MAIN = join(ROOT, 'server', 'main.ts');

/** A free loopback port, so the server can be stopped and started again on the same address. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export interface RunningSyncServer {
  url: string;
  start(): Promise<void>;
  /** Stops the process (the desktops go offline); its data folder stays. */
  stop(): Promise<void>;
  /** `npm run server -- after-restore` on its data folder (while it is stopped). */
  afterRestore(): void;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * `npm run server` on embedded PGlite in a fresh data folder, with its first administrator made
 * by `create-admin`, as an administrator would set it up.
 */
export async function startSyncServer(admin: { email: string; name: string; workspace: string; password: string }): Promise<RunningSyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'notchify-e2e-server-'));
  const port = await freePort();
  const env = { ...process.env, NOTCHIFY_SERVER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
  execFileSync(process.execPath, [MAIN, 'create-admin', '--email', admin.email, '--name', admin.name, '--workspace', admin.workspace], {
    env: { ...env, NOTCHIFY_ADMIN_PASSWORD: admin.password },
    stdio: 'pipe',
  });
  let child: ChildProcess | null = null;
  const server: RunningSyncServer = {
    url: `http://127.0.0.1:${String(port)}`,
    async start() {
      const proc = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let output = '';
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`sync server did not start:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('listening:')) {
            clearTimeout(timer);
            ready();
          }
        };
        proc.stdout.on('data', onData);
        proc.stderr.on('data', onData);
        proc.once('exit', (code) => fail(new Error(`sync server exited (${String(code)}):\n${output}`)));
      });
    },
    async stop() {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    afterRestore() {
      execFileSync(process.execPath, [MAIN, 'after-restore'], { env, stdio: 'pipe' });
    },
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
