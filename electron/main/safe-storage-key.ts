import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KEY_BYTES } from '../../db/secret-box.ts';
import { PLAIN_KEY_FILE, WRAPPED_KEY_FILE, keysDir, writeFileAtomic, type KeyStore } from '../services/key-store.ts';

/** The part of Electron's safeStorage this needs (structural, so tests can pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The data key, wrapped by the OS keychain (Keychain, DPAPI, libsecret) through safeStorage.
 * A key file left by the web host in the same data folder is taken over: wrapped, then removed.
 */
export class SafeStorageKeyStore implements KeyStore {
  private readonly dir: string;
  private readonly safeStorage: SafeStorageLike;

  constructor(dataDir: string, safeStorage: SafeStorageLike) {
    this.dir = keysDir(dataDir);
    this.safeStorage = safeStorage;
  }

  loadOrCreate(): Buffer {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new Error('The operating system keychain is not available, so bank details cannot be protected. Sign in to your desktop session and start Notchify again.');
    }
    const wrapped = join(this.dir, WRAPPED_KEY_FILE);
    const plain = join(this.dir, PLAIN_KEY_FILE);
    if (existsSync(wrapped)) {
      const key = Buffer.from(this.safeStorage.decryptString(readFileSync(wrapped)), 'base64');
      if (key.length !== DATA_KEY_BYTES) throw new Error('The protected data key is damaged');
      return key;
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const key = existsSync(plain) ? Buffer.from(readFileSync(plain, 'utf8').trim(), 'base64') : randomBytes(DATA_KEY_BYTES);
    if (key.length !== DATA_KEY_BYTES) throw new Error(`The key file ${plain} is damaged`);
    writeFileAtomic(wrapped, this.safeStorage.encryptString(key.toString('base64')));
    if (existsSync(plain)) rmSync(plain);
    return key;
  }
}
