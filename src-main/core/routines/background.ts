import type { App } from '../../app';
import { startSyncScheduler, type SyncScheduler } from '../../sync/scheduler';
import { startRoutineScheduler, type RoutineScheduler } from './scheduler';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer';

export interface BackgroundWork {
  sync: SyncScheduler;
  routines: RoutineScheduler;
  checkpoints: Checkpointer;
  /** Stops the schedulers, waiting for a sync or a routine in progress, and the checkpointer; call before closing the store. */
  stop(): Promise<void>;
}

/**
 * The work the app does by itself while it is open: sync to HQ on its interval, the routines
 * (daily preventive work orders, missed visits every 15 minutes, nightly subscription billing),
 * and WAL checkpoints off the writers' thread.
 * Only the process that owns the store and serves the window calls this, once, after createApp:
 * browser mode's server and the desktop main process. Tests and job workers never do, so a test
 * store changes only when its test says so.
 */
export function startBackgroundWork(app: Pick<App, 'kernel'>): BackgroundWork {
  const sync = startSyncScheduler(app.kernel);
  const routines = startRoutineScheduler(app.kernel);
  const checkpoints = startCheckpointer(app.kernel.db, app.kernel.log);
  return {
    sync,
    routines,
    checkpoints,
    async stop() {
      await Promise.all([routines.stop(), sync.stop(), checkpoints.stop()]);
    },
  };
}
