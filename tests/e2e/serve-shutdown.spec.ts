import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Ctrl-C in the terminal running `npm run serve` stops browser mode cleanly. The terminal signals
 * the whole process group, and npm and tsx pass signals on to the server as well, so the server
 * receives more than one; it must still finish closing the store: SQLite, closing the last
 * connection, folds the WAL back into the file and removes it. (A Playwright spec because the
 * server serves the renderer, which the e2e run builds first.)
 */
test('Ctrl-C stops browser mode cleanly, closing the store', async () => {
  const root = path.resolve(__dirname, '../..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-e2e-stop-'));
  // Detached: its own process group, signalled as a whole the way a terminal's Ctrl-C is.
  const server = spawn('npm', ['run', 'serve', '--', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) resolve();
    });
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`browser mode exited before serving:\n${output}`)));
  });
  expect(fs.existsSync(path.join(dataDir, 'branch.sqlite-wal'))).toBe(true);

  process.kill(-server.pid!, 'SIGINT');
  // Whether the passed-on signals land while the store is closing is a race; a second Ctrl-C a
  // moment later, as an impatient user presses it, lands there every time.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (groupAlive(server.pid!)) process.kill(-server.pid!, 'SIGINT');
  // npm itself dies of the signal; what counts is that the server finished closing before it went.
  await expect.poll(() => groupAlive(server.pid!), { timeout: 15_000 }).toBe(false);
  expect(output).not.toMatch(/error/i);
  expect(fs.readdirSync(dataDir)).toEqual(['branch.sqlite']);
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
