import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the Electron main process (ESM; npm packages stay external and load from node_modules
 * or app.asar) and the sandboxed preload (a single CommonJS file: a sandboxed preload can require
 * nothing but electron). The target is the Node inside Electron 45 (22.x), not the Node 24 that
 * runs the scripts, the web host and the server.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');

await Promise.all([
  build({
    entryPoints: [join(root, 'electron/main/index.ts')],
    outfile: join(out, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  }),
  build({
    entryPoints: [join(root, 'electron/preload/index.ts')],
    outfile: join(out, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'inline',
    logLevel: 'warning',
  }),
]);
console.log(`Electron main and preload built in ${out}`);
