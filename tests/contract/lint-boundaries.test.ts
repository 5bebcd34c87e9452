import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md ("Shape"): the layer boundaries are an ESLint rule. The project's own eslint.config.js
 * lints probe files placed (virtually) inside the real folders. The probes exist on no disk and in
 * no tsconfig, so type-aware parsing is switched off for them; the boundary rule needs no types.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const PROBE = '__lint_probe__';

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: [`**/${PROBE}.*`] }],
});

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  if (!result) throw new Error(`ESLint returned nothing for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, 'the probe parses').toEqual([]);
  return result.messages;
}

async function expectBoundaryError(file: string, code: string) {
  const messages = await lint(file, code);
  expect(messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2)).toHaveLength(1);
}

const RENDERER = `renderer/src/${PROBE}.tsx`;
const SHARED = `shared/${PROBE}.ts`;

describe('the lint rule for layer boundaries', () => {
  it('refuses db/ in the renderer', async () => {
    await expectBoundaryError(RENDERER, "import { customers } from '../../db/sqlite/schema.ts';\nexport const probe = customers;\n");
  });

  it('refuses Node built-ins in the renderer', async () => {
    await expectBoundaryError(RENDERER, "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
    await expectBoundaryError(RENDERER, "import { readFileSync } from 'fs';\nexport const probe = readFileSync;\n");
  });

  it('refuses electron/ in shared/', async () => {
    await expectBoundaryError(SHARED, "import { defaultDataDir } from '../electron/app/data-dir.ts';\nexport const probe = defaultDataDir;\n");
  });

  it('refuses Node built-ins in shared/', async () => {
    await expectBoundaryError(SHARED, "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
  });

  it('lets the renderer import shared/', async () => {
    const messages = await lint(RENDERER, "import { PAYMENT_TERMS } from '../../shared/domain/customers/schema.ts';\nexport const probe = PAYMENT_TERMS;\n");
    expect(messages).toEqual([]);
  });
});
