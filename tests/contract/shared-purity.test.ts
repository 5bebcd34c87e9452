import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** DESIGN.md: shared/ imports nothing outside itself but pure npm libraries. */
const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, 'shared');
const PURE_PACKAGES = new Set(['zod']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3] ?? '');
  return specifiers;
}

describe('shared/ is pure', () => {
  const sources = files(SHARED);

  it('has files to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources.map((f) => [relative(ROOT, f), f]))('%s imports only shared/ and pure packages', (_name, file) => {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        expect(target.startsWith(SHARED + '/'), `${specifier} leaves shared/`).toBe(true);
      } else {
        const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        expect(PURE_PACKAGES.has(pkg ?? ''), `${specifier} is not a pure package`).toBe(true);
      }
    }
  });

  it.each(sources.map((f) => [relative(ROOT, f), f]))('%s reads no clock and no randomness of its own', (_name, file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|process\.|globalThis\./);
  });
});
