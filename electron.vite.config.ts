import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import rendererConfig from './vite.renderer.config.mjs';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));
const fromRoot = (file: string) => path.join(projectRoot, file);

export default defineConfig({
  main: {
    build: {
      // Every package.json dependency stays a require() of node_modules, which electron-builder
      // ships: above all better-sqlite3, whose native binding cannot be bundled.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: fromRoot('src-main/electron/main.ts'),
          // Each worker thread is its own file, found beside main by startAppWorker (core/util/worker-entry.ts).
          worker: fromRoot('src-main/core/jobs/worker.ts'),
          // The WAL checkpointer's thread; see src-main/core/db/checkpointer.ts.
          checkpointer: fromRoot('src-main/core/db/checkpoint-worker.ts'),
        },
        // Shared chunks beside the entries (not in a subfolder), so `__dirname` in kernel code is
        // out/main wherever the bundler placed it, and worker.js is found.
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron': bundle everything into one CJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js', codeSplitting: false },
      },
    },
  },
  // The same renderer build browser mode uses; see vite.renderer.config.mts.
  renderer: rendererConfig,
});
