import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointerData } from './checkpointer';

/**
 * The checkpointer's thread: its own connection copies committed WAL pages into the database file
 * on an interval. A PASSIVE checkpoint never waits for or blocks a writer; a page a reader still
 * needs is left for the next pass.
 */
const { file, intervalMs } = workerData as CheckpointerData;
const db = new Database(file, { fileMustExist: true });
// This connection's sync level decides the checkpoint's fsyncs: the WAL before copying, the
// database file after. They are what the writers no longer wait for.
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');

let passes = 0;
const timer = setInterval(() => {
  // When another checkpoint (a writer's backstop, a closing connection) holds the checkpoint lock,
  // SQLite reports it in the result row instead of throwing: that one is doing this pass's work.
  db.pragma('wal_checkpoint(PASSIVE)');
  passes += 1;
}, intervalMs);

parentPort!.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.postMessage({ passes });
  parentPort!.close();
});
parentPort!.postMessage('ready');
