import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The dashboard, built into the package (dist/web) and served by `uf serve` at `/`.
// `npm run dev:web` serves it with hot reload against a running `uf serve` (UF_SERVER, default :7070).
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: {
    proxy: { '/api': process.env.UF_SERVER ?? 'http://127.0.0.1:7070', '/openapi.json': process.env.UF_SERVER ?? 'http://127.0.0.1:7070' },
  },
});
