import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APP_URL,
  canOpenExternal,
  denyAllPermissions,
  hardenWebContents,
  isAllowedNavigation,
  isTrustedSenderFrame,
  serveRendererFile,
  webPreferences,
  type WebContentsLike,
} from '../../electron/main/security.ts';
import { tempDir } from '../support/engine.ts';

describe('window settings', () => {
  it('isolate, sandbox and keep Node out of every renderer', () => {
    const prefs = webPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('IPC sender check', () => {
  it('trusts only the app origin main frame', () => {
    expect(isTrustedSenderFrame({ url: APP_URL, parent: null })).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://notchify/index.html#/customers', parent: null })).toBe(true);
    expect(isTrustedSenderFrame({ url: APP_URL, parent: {} })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'app://other/index.html', parent: null })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'file:///etc/passwd', parent: null })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
  });
});

class FakeContents extends EventEmitter implements WebContentsLike {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (d: { url: string }) => { action: 'deny' }) {
    this.openHandler = handler;
  }
  fire(event: string, url?: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('navigation and new windows', () => {
  it('lets the app navigate within itself and nowhere else', () => {
    expect(isAllowedNavigation('app://notchify/index.html#/carriers')).toBe(true);
    expect(isAllowedNavigation('https://notchify.example/')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it('hardenWebContents blocks foreign navigation, redirects and webviews', () => {
    const contents = new FakeContents();
    hardenWebContents(contents, () => Promise.resolve());
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(contents.fire('will-navigate', 'app://notchify/index.html')).toBe(false);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window, opening only https links in the browser', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, (url) => {
      opened.push(url);
      return Promise.resolve();
    });
    for (const url of ['https://safer.fmcsa.dot.gov/', 'http://example.com/', 'file:///etc/passwd', 'smb://share/x', 'javascript:void 0']) {
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://safer.fmcsa.dot.gov/']);
    expect(canOpenExternal('mailto:a@b.c')).toBe(false);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request?.({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(check?.({}, permission), permission).toBe(false);
    }
  });
});

describe('the app:// protocol', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  });
  afterEach(() => cleanup());

  it('serves the built renderer with a strict CSP', async () => {
    const response = serveRendererFile(join(dir, 'renderer'), 'app://notchify/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(await response.text()).toBe('<!doctype html>');
    expect(serveRendererFile(join(dir, 'renderer'), 'app://notchify/assets/app.js').headers.get('content-type')).toMatch(/javascript/);
  });

  it('never serves outside the renderer folder or for another host', () => {
    for (const url of ['app://notchify/../secret.txt', 'app://notchify/%2e%2e/secret.txt', 'app://notchify/..%2fsecret.txt', 'app://other/index.html', 'app://notchify/missing.js']) {
      expect(serveRendererFile(join(dir, 'renderer'), url).status, url).toBe(404);
    }
  });
});

describe('the Electron entry point', () => {
  it('wires every guard above to the real app', () => {
    const main = readFileSync(join(import.meta.dirname, '../../electron/main/index.ts'), 'utf8');
    for (const wiring of [
      'webPreferences(preload)',
      'isTrustedSenderFrame(event.senderFrame)',
      'hardenWebContents(contents',
      'denyAllPermissions(session.defaultSession)',
      'protocol.handle(APP_SCHEME',
      'ipcMain.handle(IPC_INVOKE_CHANNEL',
      'new SafeStorageKeyStore(dataDir, safeStorage)',
    ]) {
      expect(main, wiring).toContain(wiring);
    }
    expect(main.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1);
  });
});
