import { startAppWorker } from '../util/worker-entry';
import type { Logger } from '../rpc/kernel';
import type { SqliteDb } from './store';

export interface CheckpointerData {
  file: string;
  intervalMs: number;
}

export interface Checkpointer {
  /** Resolves once the first pass can run (tests wait on it). */
  ready: Promise<void>;
  /** Stops the thread and closes its connection; call before closing the store. */
  stop(): Promise<{ passes: number }>;
}

/**
 * Moves WAL checkpoints off the writers' thread. SQLite checkpoints inside the commit that fills
 * the WAL, and with synchronous = NORMAL that is where the fsyncs happen: measured on this kind of
 * machine it was about a third of a reading's save. Here a worker thread checkpoints every
 * `intervalMs` instead, and each write connection's own autocheckpoint (see openStore) stays only
 * as a backstop should this thread fall behind or stop. Durability is unchanged: a commit is in the
 * WAL when the call answers, with or without this thread.
 */
export function startCheckpointer(db: SqliteDb, log: Logger, intervalMs = 100): Checkpointer {
  const data: CheckpointerData = { file: db.name, intervalMs };
  const worker = startAppWorker('checkpointer', 'db/checkpoint-worker.ts', { workerData: data });
  worker.once('error', (err) => log.error('The WAL checkpointer stopped; each connection checkpoints for itself again', err));
  const ready = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.once('exit', () => resolve());
  }).then(() => {
    // Referenced until then, so whoever awaits `ready` is not left in an emptied event loop; after,
    // the app's lifetime is the store's, not this thread's: it never keeps a process alive.
    worker.unref();
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    ready,
    async stop() {
      await ready;
      const summary = new Promise<{ passes: number }>((resolve) => {
        worker.on('message', (message: unknown) => {
          if (typeof message === 'object' && message !== null && 'passes' in message) resolve(message as { passes: number });
        });
        void exited.then(() => resolve({ passes: 0 }));
      });
      worker.ref();
      worker.postMessage('stop');
      const result = await summary;
      await exited;
      return result;
    },
  };
}
