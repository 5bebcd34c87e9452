import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KEY_BYTES } from '../../db/secret-box.ts';

/**
 * Where the data key lives. The Electron app wraps it with the OS keychain (safeStorage,
 * electron/main/safe-storage-key.ts); the web host, which has no keychain, keeps it in a file
 * readable only by the user, in the data folder.
 */
export interface KeyStore {
  /** The 32-byte data key, created on first use. */
  loadOrCreate(): Buffer;
}

export const PLAIN_KEY_FILE = 'data-key';
export const WRAPPED_KEY_FILE = 'data-key.safe-storage';

export function keysDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key. */
export function writeFileAtomic(file: string, content: Buffer): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

export class KeyFileStore implements KeyStore {
  private readonly dir: string;
  constructor(dataDir: string) {
    this.dir = keysDir(dataDir);
  }

  loadOrCreate(): Buffer {
    const file = join(this.dir, PLAIN_KEY_FILE);
    if (existsSync(file)) {
      const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
      if (key.length !== DATA_KEY_BYTES) throw new Error(`The key file ${file} is damaged`);
      return key;
    }
    if (existsSync(join(this.dir, WRAPPED_KEY_FILE))) {
      throw new Error(
        'This data folder is protected by the desktop app\'s OS keychain. Open it with "npm start", or point NOTCHIFY_DATA_DIR at another folder for the web host.',
      );
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(DATA_KEY_BYTES);
    writeFileAtomic(file, Buffer.from(key.toString('base64')));
    return key;
  }
}
