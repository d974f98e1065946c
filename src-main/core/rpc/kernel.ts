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

export function readBranch(db: SqliteDb): BranchInfo {
  const row = sqlGet<{ id: string; name: string; time_zone: string; week_start: number; demo: number }>(
    db,
    'SELECT id, name, time_zone, week_start, demo FROM branch LIMIT 1',
  );
  return row
    ? { id: row.id, name: row.name, timeZone: row.time_zone, weekStart: row.week_start, demo: row.demo === 1 }
    : UNSET_BRANCH;
}
