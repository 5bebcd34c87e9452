import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Notchify Back Office';

/**
 * The data folder: NOTCHIFY_DATA_DIR when set, else the folder Electron's app.getPath('userData')
 * names for this product, so the web host opens the same data as the desktop app.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = env.NOTCHIFY_DATA_DIR?.trim();
  if (fromEnv) return fromEnv;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}
