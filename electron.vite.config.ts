// One build for every Node-side entry: the Electron shell, the `aisle` CLI (which also hosts the
// browser mode), the training worker and the benchmark share src/main's services.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      target: 'node20',
      sourcemap: true,
      rollupOptions: {
        input: {
          cli: resolve(__dirname, 'src/cli/index.ts'),
          worker: resolve(__dirname, 'src/main/jobs/worker.ts'),
          bench: resolve(__dirname, 'src/cli/bench.ts'),
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
});
