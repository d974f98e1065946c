import type { App } from '../../app';
import { startSyncScheduler, type SyncScheduler } from '../../sync/scheduler';
import { startRoutineScheduler, type RoutineScheduler } from './scheduler';

export interface BackgroundWork {
  sync: SyncScheduler;
  routines: RoutineScheduler;
  /** Stops both schedulers, waiting for a sync or a routine in progress; call before closing the store. */
  stop(): Promise<void>;
}

/**
 * The work the app does by itself while it is open: sync to HQ on its interval, and the routines
 * (daily preventive work orders, missed visits every 15 minutes, nightly subscription billing).
 * Only the process that owns the store and serves the window calls this, once, after createApp:
 * browser mode's server and the desktop main process. Tests and job workers never do, so a test
 * store changes only when its test says so.
 */
export function startBackgroundWork(app: Pick<App, 'kernel'>): BackgroundWork {
  const sync = startSyncScheduler(app.kernel);
  const routines = startRoutineScheduler(app.kernel);
  return {
    sync,
    routines,
    async stop() {
      await Promise.all([routines.stop(), sync.stop()]);
    },
  };
}
