import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer: one bundle for both hosts (Electron's app:// protocol and the web host). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
