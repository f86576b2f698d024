// One build for the whole app: the Node-side entries (the Electron shell, the `aisle` CLI, which
// also hosts the browser mode, the training worker and the benchmark) share src/main's services;
// the preload and the React renderer are built beside them (out/preload, out/renderer).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The page's CSP meta tag is strict (own scripts only). Vite's dev server needs React Refresh's
 * inline preamble and a websocket for hot reload, so only `electron-vite dev` loosens it.
 */
function devServerCsp(): Plugin {
  return {
    name: 'aisle:dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      target: 'node20',
      sourcemap: true,
      // The benchmark drives Chromium with playwright-core, a devDependency: load it from
      // node_modules at run time rather than bundling 80k lines of it. zod, commander and
      // cli-progress are bundled: Node's ESM loader resolved and read zod's dozens of files one by one at
      // every start, and bundled they cost ~150 ms less CPU per `aisle` command (better-sqlite3,
      // a native addon, stays in node_modules).
      externalizeDeps: { include: ['playwright-core'], exclude: ['zod', 'commander', 'cli-progress'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          worker: resolve(__dirname, 'src/main/jobs/worker.ts'),
          bench: resolve(__dirname, 'src/cli/bench.ts'),
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          // ASCII-only, without JSDoc (the source maps point at the sources): Node reads each
          // module through a UTF-8 decoder whose slow path non-ASCII text takes, ~17 ms of every
          // `aisle` command's start for these bundles (docs/benchmarks.md, "An aisle command's start").
          charset: 'ascii',
          comments: { legal: true, annotation: true, jsdoc: false },
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      sourcemap: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload runs as a classic script with a `require` for 'electron' only: it must
        // be one CommonJS file. `.cjs` keeps Node from reading it as ESM under "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), devServerCsp()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      sourcemap: true,
      // electron-vite leaves the renderer unminified; minified it loads in a third of the time.
      minify: true,
      // One ~0.8 MB chunk (React, chart.js, the engine's schemas), read from disk or 127.0.0.1, never a
      // network: Vite's 500 kB warning, meant for web pages, only alarmed a first `npm start`.
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
