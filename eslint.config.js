// Lint, including the layer boundaries of DESIGN.md ("Shape"). The same boundaries are also
// enforced by the tsconfig projects (a layer's project does not include the folders it may not
// import) and, for shared/, by tests/contract/shared-purity.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process',
  'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

const layerDir = (name) => ({
  group: [`**/${name}/**`, `../${name}`, `../../${name}`],
  message: `This layer may not import from ${name}/ (DESIGN.md, "Shape").`,
});
const nodeOnly = {
  group: ['node:*'],
  message: 'Node built-ins are not available in this layer (DESIGN.md, "Shape").',
};
const pkg = (names, why) => names.map((name) => ({ name, message: why }));

/** @param {string[]} dirs @param {{paths?: object[], extraPatterns?: object[]}} [more] */
const restrict = (dirs, more = {}) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: more.paths ?? [],
      patterns: [...dirs.map(layerDir), ...(more.extraPatterns ?? [])],
    },
  ],
});

const storeAndHostPackages = pkg(
  ['electron', 'better-sqlite3', 'drizzle-orm', 'fastify', 'axios', 'pdfmake'],
  'Only the host layers (electron/, server/, db/) may use this package.',
);
const uiPackages = pkg(['react', 'react-dom', '@mantine/core'], 'UI code belongs in renderer/.');
const builtinPaths = pkg(nodeBuiltins, 'Node built-ins are not available in this layer.');

export default tseslint.config(
  {
    ignores: [
      'node_modules/**', 'dist/**', 'release/**', '.tsbuild/**', 'test-results/**',
      'playwright-report/**', 'db/sqlite/migrations/**', 'db/pg/migrations/**', 'artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.es2023 },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      parserOptions: { projectService: false, program: null },
      globals: { ...globals.node },
    },
  },

  // shared/: pure and isomorphic. Nothing outside shared/, no Node, no host or UI package,
  // and no hidden clock or randomness (the clock and id source are passed in).
  {
    files: ['shared/**/*.ts'],
    rules: {
      ...restrict(['db', 'electron', 'server', 'renderer', 'tests', 'bench', 'scripts'], {
        paths: [...storeAndHostPackages, ...uiPackages, ...builtinPaths],
        extraPatterns: [nodeOnly],
      }),
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'shared/ takes the clock as a parameter (tx.now()); no Date.now().',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'shared/ takes the clock as a parameter (tx.now()); no new Date().',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'shared/ takes ids from the port (tx.newId()); no Math.random().',
        },
      ],
    },
  },
  // db/: schemas and store adapters; may use shared/ only.
  {
    files: ['db/**/*.ts'],
    rules: restrict(['electron', 'server', 'renderer', 'tests', 'bench', 'scripts'], {
      paths: [...pkg(['electron', 'fastify', 'axios'], 'db/ is used by both hosts; keep host packages out.'), ...uiPackages],
    }),
  },
  // renderer/: talks to the host only through window.notchify; may use shared/ only.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // react-hook-form's handleSubmit/register and Mantine's handlers are bound functions.
      '@typescript-eslint/unbound-method': 'off',
      ...restrict(['db', 'electron', 'server', 'tests', 'bench', 'scripts'], {
        paths: [...storeAndHostPackages.filter((p) => p.name !== 'axios'), ...builtinPaths],
        extraPatterns: [nodeOnly],
      }),
    },
  },
  // electron/preload: the sandboxed bridge; may use shared/contract only.
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(['db', 'server', 'renderer', 'main', 'engine', 'app', 'services', 'web-host', 'domain', 'sync'], {
      paths: [...uiPackages],
    }),
  },
  // The host-agnostic part of electron/ (engine, router, services, web host) must not need the
  // Electron runtime: the web host and the tests run it under plain Node.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: restrict(['server', 'renderer', 'main', 'preload'], {
      paths: [...pkg(['electron'], 'Only electron/main and electron/preload may use the Electron runtime.'), ...uiPackages],
    }),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict(['server', 'renderer', 'preload'], { paths: [...uiPackages] }),
  },
  // server/: the sync API; may use shared/ and db/.
  {
    files: ['server/**/*.ts'],
    rules: restrict(['electron', 'renderer'], {
      paths: [...pkg(['electron'], 'The server does not run in Electron.'), ...uiPackages],
    }),
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
