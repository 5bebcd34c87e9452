import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (bank account numbers, sealed outbox args). Sealed text is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url, so a tampered or foreign value fails to open
 * instead of decrypting to garbage.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export const DATA_KEY_BYTES = 32;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== DATA_KEY_BYTES) throw new Error(`The data key must be ${String(DATA_KEY_BYTES)} bytes`);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('Not a sealed value');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
