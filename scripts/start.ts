/**
 * `npm start [-- args]`: the desktop window when the Electron runtime is installed, otherwise
 * browser mode (`scripts/serve.ts`, which prints its URL) with the same arguments.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

/**
 * The `electron` package resolves to the binary's path, or throws when its postinstall never
 * downloaded one (ELECTRON_SKIP_BINARY_DOWNLOAD, as on this project's build machines).
 */
function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Ends with the child, with its exit code; never leaves it running on its own. */
function follow(child: ChildProcess): void {
  // Ctrl+C already reaches the child (same process group); forwarding it again would cut short
  // the child's clean shutdown. Just stay alive until the child has closed its store.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(err.message);
    process.exit(1);
  });
}

function startDesktop(binary: string): void {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // Inherited ELECTRON_RUN_AS_NODE would start a bare Node instead of the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  follow(spawn(binary, [root, ...args], { cwd: root, stdio: 'inherit', env }));
}

function startBrowserMode(): void {
  console.log('The Electron runtime is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD). Starting browser mode instead.');
  // `node --import tsx` is `npx tsx` without the npx shim, which needs a shell on Windows.
  follow(spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'serve.ts'), ...args], { cwd: root, stdio: 'inherit' }));
}

const binary = electronBinary();
if (binary) startDesktop(binary);
else startBrowserMode();
