import { Registry } from './core/rpc/registry';
import { openStore, type SqliteDb } from './core/db/store';
import { Settings } from './core/settings/settings';
import { JobManager } from './core/jobs/manager';
import { branchCache, type Kernel, type Logger } from './core/rpc/kernel';
import { registerKernel } from './core/register';
import { registerModules } from './modules';
import type { JobRunners } from './core/jobs/types';

export interface AppOptions {
  dataDir: string;
  /** Inject a clock in tests (time-dependent rules: lockout, SLA, expiry). */
  clock?: () => Date;
  log?: Logger;
  validateOutputs?: boolean;
  /** Job workers pass false: only the main process launches and supervises jobs. */
  supervisesJobs?: boolean;
}

export interface App {
  kernel: Kernel;
  close(): Promise<void>;
}

export function buildRegistry(kernel: () => Kernel): { registry: Registry; jobRunners: JobRunners } {
  const registry = new Registry();
  const jobRunners: JobRunners = new Map();
  registerKernel(registry, kernel);
  registerModules(registry, jobRunners);
  return { registry, jobRunners };
}

/** Opens the store in `dataDir` and wires the kernel every transport and test dispatches into. */
export function createApp(options: AppOptions): App {
  const db: SqliteDb = openStore(options.dataDir);
  // Handlers that need the kernel (approvals run the approved call; jobs read the manager) get it late-bound.
  const { registry, jobRunners } = buildRegistry(() => kernel);
  const log: Logger = options.log ?? console;
  const branch = branchCache(db);
  const kernel: Kernel = {
    dataDir: options.dataDir,
    db,
    registry,
    settings: new Settings(db),
    clock: options.clock ?? (() => new Date()),
    log,
    validateOutputs: options.validateOutputs ?? false,
    branch,
    jobs: undefined as unknown as JobManager,
  };
  kernel.jobs = new JobManager(kernel, jobRunners, { supervises: options.supervisesJobs ?? true });
  return {
    kernel,
    async close() {
      await kernel.jobs.shutdown();
      db.close();
    },
  };
}
