// The dashboard: a small React app, built to apps/web/dist and served by the API at `/`.
// `npx vite --config apps/web/vite.config.mjs` serves it with the API proxied from :3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { proxy: { '/api': process.env.FUUSIO_API ?? 'http://127.0.0.1:3000' } },
});
