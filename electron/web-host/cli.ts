import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../app/data-dir.ts';
import { KeyFileStore } from '../services/key-store.ts';
import { MigrationError } from '../../db/sqlite/open.ts';
import { createWebHost } from './server.ts';

/**
 * `npm run web`: the app in a browser on 127.0.0.1. Options: --port N (default 5178; 0 = any free
 * port). The data folder is NOTCHIFY_DATA_DIR, else the desktop app's own.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.NOTCHIFY_WEB_PORT ?? 5178);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${String(args[portArg + 1])}`);
  process.exit(2);
}
if (process.env.HOST && !['127.0.0.1', 'localhost'].includes(process.env.HOST)) {
  console.error('The web host listens on 127.0.0.1 only; it is never exposed to the network. HOST is ignored.');
}

const dataDir = defaultDataDir();
try {
  const host = createWebHost({
    dataDir,
    keyStore: new KeyFileStore(dataDir),
    rendererDir: join(root, 'dist', 'renderer'),
    port,
    logger: process.env.NOTCHIFY_LOG === '1',
  });
  const url = await host.listen();
  console.log(`Notchify Back Office (web host)\n  data folder: ${dataDir}\n  open: ${url}`);
  const stop = () => {
    // Whatever still holds the host open after 5 s (a stuck socket) must not keep the process alive.
    setTimeout(() => process.exit(0), 5_000).unref();
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof MigrationError) {
    console.error(`Notchify could not open its data.\n${error.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
