import type { CallMeta, RpcResult } from '../../../src-shared/rpc';
import type { Principal } from '../rpc/context';
import type { Kernel } from '../rpc/kernel';

/** How a handler starts background work; the job starts once the handler's transaction commits. */
export interface JobStarter {
  start(kind: string, title: string, input: unknown): string;
}

/**
 * What a job runner gets. It runs in a worker thread with its own connection to the store and
 * writes only through `dispatch` (the same pipeline, as the user who started the job).
 */
export interface JobContext {
  jobId: string;
  kernel: Kernel;
  principal: Principal;
  dispatch(procedure: string, input: unknown, meta?: CallMeta): RpcResult<unknown>;
  /** Fraction 0..1 and a line for the progress bar; cheap to call often (throttled). */
  progress(fraction: number, message?: string): void;
  /** True once someone asked to cancel; runners check it between chunks and stop cleanly. */
  cancelled(): boolean;
}

export type JobRunner = (job: JobContext, input: unknown) => Promise<unknown> | unknown;

/** Job runners by kind; modules add theirs when they register. */
export type JobRunners = Map<string, JobRunner>;
