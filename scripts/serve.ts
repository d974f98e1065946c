/**
 * Browser mode: `npm run serve -- [--port N] [--data-dir DIR] [--demo]`.
 * Serves the built renderer and the RPC pipeline on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../src-main/app';
import { startHttpServer } from '../src-main/transports/http';
import { isEmptyStore, seedDemo } from '../src-main/demo';
import { defaultDataDir } from '../src-main/core/util/data-dir';
import type { Logger } from '../src-main/core/rpc/kernel';
import { startBackgroundWork, type BackgroundWork } from '../src-main/core/routines/background';

const root = path.resolve(__dirname, '..');

export interface BrowserModeOptions {
  dataDir: string;
  port: number;
  staticDir?: string;
  demo?: boolean;
  log?: Logger;
}

export interface BrowserMode {
  app: App;
  background: BackgroundWork;
  url: string;
  /** Stops the background work, then the server, then closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store, starts the background work (sync to HQ and the routines, as the desktop app
 * does) and serves. Exported so a test can prove what startup starts without spawning a process.
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const log = options.log ?? console;
  const app = createApp({ dataDir: options.dataDir, log });
  if (options.demo && isEmptyStore(app.kernel)) {
    log.info('Seeding demo data (one branch, a user per role, 500 accounts with 12 months of readings)...');
    const started = Date.now();
    seedDemo(app.kernel);
    log.info(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Sign in as admin, supervisor, reader, ... with password demo1234.`);
  } else if (options.demo) {
    log.info('The store already has data; --demo seeds only an empty store.');
  }
  app.kernel.jobs.warmUp();
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer({ kernel: app.kernel, port: options.port, staticDir: options.staticDir });
  } catch (err) {
    await app.close();
    throw err;
  }
  // After seeding and once serving: the routines' catch-up runs against the finished store.
  const background = startBackgroundWork(app);
  return {
    app,
    background,
    url: http.url,
    async stop() {
      await background.stop();
      await http.close();
      await app.close();
    },
  };
}

async function main(): Promise<void> {
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
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.log('Building the renderer once (out/renderer)...');
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.mts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
  try {
    const served = await startBrowserMode({ dataDir, port, staticDir, demo: values.demo });
    console.log(`Plug1 Operations (browser mode) is running at ${served.url}`);
    console.log(`Data folder: ${dataDir}`);
    // Ctrl-C in a terminal signals the whole process group, and tsx relays it to this process as
    // well: a second SIGINT without a handler would kill it halfway through closing the store.
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await served.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') console.error(`Port ${port} is already in use; choose another with --port N.`);
    else console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

// Run only as the entry script (`npm run serve`, Playwright's web server), not when a test imports it.
if (path.resolve(process.argv[1] ?? '') === __filename) void main();
