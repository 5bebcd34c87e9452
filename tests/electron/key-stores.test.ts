import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageKeyStore, type SafeStorageLike } from '../../electron/main/safe-storage-key.ts';
import { KeyFileStore, PLAIN_KEY_FILE, WRAPPED_KEY_FILE, keysDir } from '../../electron/services/key-store.ts';
import { createSecretBox } from '../../db/secret-box.ts';
import { tempDir } from '../support/engine.ts';

/** A stand-in for the OS keychain: reversible, and visibly not the plain text. */
const fakeSafeStorage = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(`wrapped:${Buffer.from(plain).reverse().toString('base64')}`),
  decryptString: (buf) => Buffer.from(buf.toString().replace('wrapped:', ''), 'base64').reverse().toString(),
});

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('the web host key file', () => {
  it('is created once, readable only by the user, and stable', () => {
    const key = new KeyFileStore(dir).loadOrCreate();
    expect(key).toHaveLength(32);
    const file = join(keysDir(dir), PLAIN_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new KeyFileStore(dir).loadOrCreate().equals(key)).toBe(true);
  });

  it('refuses a folder whose key the desktop app wrapped in the OS keychain', () => {
    new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate();
    expect(() => new KeyFileStore(dir).loadOrCreate()).toThrow(/OS keychain/);
  });
});

describe('the safeStorage key store', () => {
  it('keeps the key wrapped, never in clear', () => {
    const key = new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate();
    const wrapped = readFileSync(join(keysDir(dir), WRAPPED_KEY_FILE), 'utf8');
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(existsSync(join(keysDir(dir), PLAIN_KEY_FILE))).toBe(false);
    expect(new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate().equals(key)).toBe(true);
  });

  it('takes over the web host key file so data sealed by either host stays readable', () => {
    const plainKey = new KeyFileStore(dir).loadOrCreate();
    const sealed = createSecretBox(plainKey).seal('000123456789');
    const key = new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate();
    expect(key.equals(plainKey)).toBe(true);
    expect(existsSync(join(keysDir(dir), PLAIN_KEY_FILE))).toBe(false);
    expect(createSecretBox(key).open(sealed)).toBe('000123456789');
  });

  it('refuses to start without a keychain rather than keep the key in clear', () => {
    expect(() => new SafeStorageKeyStore(dir, fakeSafeStorage(false)).loadOrCreate()).toThrow(/keychain is not available/);
  });

  it('says so when the wrapped key is damaged', () => {
    new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate();
    writeFileSync(join(keysDir(dir), WRAPPED_KEY_FILE), 'wrapped:AAAA');
    expect(() => new SafeStorageKeyStore(dir, fakeSafeStorage()).loadOrCreate()).toThrow(/damaged/);
  });
});

describe('the secret box', () => {
  it('seals with a fresh IV each time and detects tampering', () => {
    const box = createSecretBox(Buffer.alloc(32, 7));
    const a = box.seal('000123456789');
    const b = box.seal('000123456789');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('000123456789');
    const parts = a.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(a)).toThrow();
    expect(() => box.open('plain text')).toThrow(/Not a sealed value/);
  });
});
