/**
 * Browser mode: `npm run serve -- [--port N] [--data-dir DIR] [--demo]`.
 * Serves the built renderer and the RPC pipeline on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src-main/app';
import { startHttpServer } from '../src-main/transports/http';
import { isEmptyStore, seedDemo } from '../src-main/demo';
import { defaultDataDir } from '../src-main/core/util/data-dir';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number between 0 and 65535 (got ${values.port})`);
  process.exit(2);
}
const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
const staticDir = path.join(root, 'out', 'renderer');

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.log('Building the renderer once (out/renderer)...');
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.mts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
  const app = createApp({ dataDir });
  if (values.demo && isEmptyStore(app.kernel)) {
    console.log('Seeding demo data (one branch, a user per role, 500 accounts with 12 months of readings)...');
    const started = Date.now();
    seedDemo(app.kernel);
    console.log(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Sign in as admin, supervisor, reader, ... with password demo1234.`);
  } else if (values.demo) {
    console.log('The store already has data; --demo seeds only an empty store.');
  }
  app.kernel.jobs.warmUp();
  const http = await startHttpServer({ kernel: app.kernel, port, staticDir });
  console.log(`Plug1 Operations (browser mode) is running at ${http.url}`);
  console.log(`Data folder: ${dataDir}`);
  const stop = async () => {
    await http.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`Port ${port} is already in use; choose another with --port N.`);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
