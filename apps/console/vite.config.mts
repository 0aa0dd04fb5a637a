// The console is built by Vite into dist/apps/console; the gateway serves it under /console.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      '@spark/client': path.join(root, 'libs/client/src/index.ts'),
      '@spark/workflow-domain': path.join(root, 'libs/workflow-domain/src/index.ts'),
    },
  },
  build: {
    outDir: path.join(root, 'dist/apps/console'),
    emptyOutDir: true,
    sourcemap: false,
    // SPARK_CONSOLE_MINIFY=0 keeps function names, for a readable CPU profile (bench/console).
    minify: process.env.SPARK_CONSOLE_MINIFY !== '0',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  logLevel: 'warn',
});
