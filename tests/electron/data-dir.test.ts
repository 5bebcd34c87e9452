import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME, defaultDataDir } from '../../electron/app/data-dir.ts';

/**
 * The data folder the web host and the demo-data script open: NOTCHIFY_DATA_DIR when set, else
 * where Electron's app.getPath('userData') puts this product (appData + the product name).
 */
const PLATFORMS: NodeJS.Platform[] = ['linux', 'win32', 'darwin'];

describe('the data folder', () => {
  it.each(PLATFORMS)('is NOTCHIFY_DATA_DIR when set, on %s', (platform) => {
    const env = { NOTCHIFY_DATA_DIR: '  /srv/notchify/data ', XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    expect(defaultDataDir(env, platform)).toBe('/srv/notchify/data');
  });

  it('ignores a blank NOTCHIFY_DATA_DIR', () => {
    expect(defaultDataDir({ NOTCHIFY_DATA_DIR: '   ', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(join('/xdg', PRODUCT_NAME));
  });

  it('falls back to Electron\'s userData folder for the product on Linux', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(join('/xdg', 'Notchify Back Office'));
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.config', 'Notchify Back Office'));
  });

  it('falls back to Electron\'s userData folder for the product on Windows', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\ada\\AppData\\Roaming', 'Notchify Back Office'));
    expect(defaultDataDir({}, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Notchify Back Office'));
  });

  it('falls back to Electron\'s userData folder for the product on macOS', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Notchify Back Office'));
  });
});
