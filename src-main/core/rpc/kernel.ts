import type { SqliteDb } from '../db/store';
import { sqlGet } from '../db/store';
import type { Settings } from '../settings/settings';
import type { JobManager } from '../jobs/manager';
import type { BranchInfo } from './context';
import type { Registry } from './registry';

export interface Logger {
  info(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** Everything the pipeline needs, for one open store. One per process (and one per job worker). */
export interface Kernel {
  dataDir: string;
  db: SqliteDb;
  registry: Registry;
  settings: Settings;
  jobs: JobManager;
  clock: () => Date;
  log: Logger;
  /** Tests turn this on so every answer is checked against its contract's output schema. */
  validateOutputs: boolean;
  branch(): BranchInfo;
  /** Fault injection for tests: runs after a mutation's handler, inside its transaction. */
  faults?: { afterHandler?(procedure: string): void };
}

/** Before first-run setup there is no branch row yet; calls still need a branch to stamp. */
const UNSET_BRANCH: BranchInfo = { id: 'unset', name: 'New branch', timeZone: 'UTC', weekStart: 1, demo: false };

/**
 * The branch row is read on every call, so each process caches it; a change made through this
 * connection bumps its epoch, and a change made by another connection (a job worker, another
 * process) shows in SQLite's data_version, so no process keeps stamping with a stale calendar.
 */
const branchEpochs = new WeakMap<SqliteDb, number>();
export const markBranchChanged = (db: SqliteDb): void => void branchEpochs.set(db, (branchEpochs.get(db) ?? 0) + 1);

export function branchCache(db: SqliteDb): () => BranchInfo {
  let cached: { info: BranchInfo; epoch: number; dataVersion: number } | null = null;
  return () => {
    const epoch = branchEpochs.get(db) ?? 0;
    const dataVersion = sqlGet<{ data_version: number }>(db, 'PRAGMA data_version')!.data_version;
    // Before setup there is no branch yet: keep re-reading so setup takes effect at once.
    if (cached && cached.info.id !== 'unset' && cached.epoch === epoch && cached.dataVersion === dataVersion) return cached.info;
    cached = { info: readBranch(db), epoch, dataVersion };
    return cached.info;
  };
}

export function readBranch(db: SqliteDb): BranchInfo {
  const row = sqlGet<{ id: string; name: string; time_zone: string; week_start: number; demo: number }>(
    db,
    'SELECT id, name, time_zone, week_start, demo FROM branch LIMIT 1',
  );
  return row
    ? { id: row.id, name: row.name, timeZone: row.time_zone, weekStart: row.week_start, demo: row.demo === 1 }
    : UNSET_BRANCH;
}
