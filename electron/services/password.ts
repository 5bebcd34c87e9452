import { hash, verify, type Algorithm } from '@node-rs/argon2';

// The library exports its algorithms as a const enum, which erasable TypeScript can't read at run time.
const ARGON2ID: Algorithm.Argon2id = 2;

/** argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
