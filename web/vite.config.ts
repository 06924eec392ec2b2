import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './compress-plugin.js';
import { inlineScript } from './inline-script-plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** `npm run build:web` writes web/dist, which the server serves at `/`. `npx vite --config web/vite.config.ts` runs a dev server that proxies the API. */
export default defineConfig({
  root,
  plugins: [react(), inlineScript(root), precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
