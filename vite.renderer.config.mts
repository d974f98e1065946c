import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer as a plain web app, built into out/renderer: browser mode serves that folder and
 * the end-to-end tests drive it. electron.vite.config.ts builds the very same renderer from this
 * config, so the desktop window and the browser never differ in how they are built.
 * (Only a default export: Vite bundles this file as CommonJS, where mixed exports are awkward.)
 */
const projectRoot = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(projectRoot, 'src-renderer');

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs work from http://127.0.0.1:<port>/ and from the desktop app's own protocol.
  base: './',
  plugins: [react()],
  // postcss.config.cjs (Mantine's preset and breakpoints) sits at the project root, not in the renderer root.
  css: { postcss: projectRoot },
  build: {
    outDir: path.join(projectRoot, 'out', 'renderer'),
    emptyOutDir: true,
    rolldownOptions: { input: path.join(rendererRoot, 'index.html') },
  },
});
