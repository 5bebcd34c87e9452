import { BrowserWindow, app, dialog, ipcMain, protocol, safeStorage, session, shell, webContents, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/channels.ts';
import { createCore, type Core } from '../app/core.ts';
import type { EventSink } from '../app/context.ts';
import { PRODUCT_NAME } from '../app/data-dir.ts';
import { SafeStorageKeyStore } from './safe-storage-key.ts';
import {

  APP_SCHEME,
  APP_URL,
  denyAllPermissions,
  hardenWebContents,
  isTrustedSenderFrame,
  serveRendererFile,
  webPreferences,
} from './security.ts';

/**
 * The Electron host, kept thin: windows, the app:// protocol, the one IPC handler, safeStorage.
 * Everything else (engine, router, handlers) is the shared core the web host also runs.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = app.isPackaged ? process.resourcesPath : join(here, '..', '..');
const rendererDir = app.isPackaged ? join(here, '..', 'renderer') : join(root, 'dist', 'renderer');
const migrationsDir = app.isPackaged ? join(process.resourcesPath, 'migrations') : join(root, 'db', 'sqlite', 'migrations');
const preload = join(here, 'preload.cjs');

app.setName(PRODUCT_NAME);
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let core: Core<IpcMainInvokeEvent> | null = null;

const events: EventSink = {
  broadcast(event, payload) {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  },
  toSession(sessionKey, event, payload) {
    webContents.fromId(Number(sessionKey))?.send(IPC_EVENT_CHANNEL, event, payload);
  },
};

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: PRODUCT_NAME,
    show: false,
    webPreferences: webPreferences(preload),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.NOTCHIFY_DATA_DIR?.trim() || app.getPath('userData');
  try {
    core = createCore<IpcMainInvokeEvent>({
      dataDir,
      migrationsDir,
      keyStore: new SafeStorageKeyStore(dataDir, safeStorage),
      events,
      isTrustedSender: (event) => isTrustedSenderFrame(event.senderFrame),
      sessionKeyOf: (event) => String(event.sender.id),
      logError: (error, name) => console.error(`[notchify] ${name} failed`, error),
    });
  } catch (error) {
    // A failed migration or an unreadable key: say so, touch nothing, quit. The data stays as it was.
    dialog.showErrorBox('Notchify could not open its data', `${error instanceof Error ? error.message : String(error)}\n\nData folder: ${dataDir}`);
    app.exit(1);
    return;
  }

  protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererDir, request.url));
  denyAllPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));

  const route = core.route;
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, name: unknown, input: unknown) => route(event, name, input));

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', (event) => {
  if (!core) return;
  event.preventDefault();
  const closing = core;
  core = null;
  void closing.close().finally(() => app.quit());
});

void start();


