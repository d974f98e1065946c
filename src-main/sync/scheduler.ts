import type { SqliteDb } from '../core/db/store';
import type { Kernel } from '../core/rpc/kernel';
import { clearStaleLease, runSync, type SyncRunOptions, type SyncRunResult } from './engine';
import { readSyncState } from './state';

/**
 * Runs sync on the interval setting, sooner after "Sync now" or a configuration change, later
 * after failures (the engine records when the next attempt is due, backoff included, so a restart
 * keeps the backoff). Started once per store by the process that owns it (the window's main
 * process, or browser mode's server); job workers never start one.
 */
export interface SyncScheduler {
  /** Run as soon as possible (the configuration changed). */
  wake(): void;
  stop(): Promise<void>;
}

/** The scheduler re-reads the state at least this often, so a changed interval takes effect. */
const RECHECK_MS = 60_000;

const schedulers = new WeakMap<SqliteDb, SyncScheduler>();

/** The scheduler serving this store in this process, if any (handlers wake it after a change). */
export const schedulerFor = (db: SqliteDb): SyncScheduler | undefined => schedulers.get(db);

export function startSyncScheduler(
  kernel: Kernel,
  options: Omit<SyncRunOptions, 'trigger'> & { onRun?: (result: SyncRunResult) => void } = {},
): SyncScheduler {
  clearStaleLease(kernel);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  // Sync as soon as the app starts (a branch that was closed overnight has a day to upload),
  // unless it is backing off after failures: a crash-restart loop must not hammer HQ.
  let wokenUp = readSyncState(kernel.db, kernel.branch().id, kernel.clock().toISOString()).consecutive_failures === 0;

  const dueInMs = (): number => {
    const now = kernel.clock();
    const state = readSyncState(kernel.db, kernel.branch().id, now.toISOString());
    if (!state.hq_url || !state.token || state.enabled !== 1) return Number.POSITIVE_INFINITY;
    if (wokenUp || state.next_attempt_at === null) return 0;
    return Date.parse(state.next_attempt_at) - now.getTime();
  };

  const plan = () => {
    if (stopped) return;
    const due = dueInMs();
    timer = setTimeout(tick, Math.max(0, Math.min(due, RECHECK_MS)));
    timer.unref();
  };

  function tick(): void {
    timer = null;
    if (stopped || running) return;
    if (dueInMs() > 0) return plan();
    wokenUp = false;
    running = runSync(kernel, { ...options, trigger: 'schedule' })
      .then((result) => options.onRun?.(result))
      .catch((err: unknown) => kernel.log.error('sync scheduler', err))
      .finally(() => {
        running = null;
        plan();
      });
  }

  const scheduler: SyncScheduler = {
    wake() {
      wokenUp = true;
      if (running || stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, 0);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      schedulers.delete(kernel.db);
    },
  };
  schedulers.set(kernel.db, scheduler);
  plan();
  return scheduler;
}
