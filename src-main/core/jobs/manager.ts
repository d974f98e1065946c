import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../src-shared/errors';
import type { Job } from '../../../src-shared/contracts/kernel';
import { sqlAll, sqlGet, sqlRun } from '../db/store';
import type { JobsTable } from '../db/schema';
import { newId } from '../util/ids';
import { startAppWorker } from '../util/worker-entry';
import type { Kernel } from '../rpc/kernel';
import type { Principal } from '../rpc/context';
import type { JobRunners } from './types';

interface RunningJob {
  worker: Worker;
  cancelFlag: Int32Array;
  done: Promise<void>;
}

export interface JobAssignment {
  dataDir: string;
  jobId: string;
  cancelBuffer: SharedArrayBuffer;
}

export function toJob(row: JobsTable): Job {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    progress: row.progress,
    message: row.message,
    result: row.result_json === null ? null : (JSON.parse(row.result_json) as unknown),
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Long work (imports, exports, billing runs, sync) runs in worker threads with their own store
 * connection, so the process serving the window never blocks. Workers write business data only
 * through the pipeline; progress lives in the `jobs` table, which any process can read.
 */
export class JobManager {
  private readonly running = new Map<string, RunningJob>();
  /** A started worker waiting for its job, so a job starts in milliseconds, not module-load time. */
  private spare: Worker | null = null;
  private spareLoaded: Promise<void> = Promise.resolve();
  private keepSpare = false;

  constructor(
    private readonly kernel: Kernel,
    readonly runners: JobRunners,
    private readonly options: { supervises: boolean },
  ) {
    if (options.supervises) this.failInterruptedJobs();
  }

  /** A crash or a closed window leaves jobs marked running; say so instead of showing them forever. */
  private failInterruptedJobs(): void {
    sqlRun(
      this.kernel.db,
      `UPDATE jobs SET state = 'failed', error = 'Interrupted when the application stopped; nothing half-written was kept. Start it again.',
         finished_at = ? WHERE state IN ('queued', 'running')`,
      new Date().toISOString(),
    );
  }

  /** Records the job inside the caller's transaction; it starts only if that transaction commits. */
  enqueue(kind: string, title: string, input: unknown, userId: string, nowIso: string): string {
    if (!this.runners.has(kind)) throw new Error(`No job runner for ${kind}`);
    const id = newId();
    sqlRun(
      this.kernel.db,
      `INSERT INTO jobs (id, branch_id, kind, title, state, progress, input_json, created_by, created_at)
       VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?)`,
      id,
      this.kernel.branch().id,
      kind,
      title,
      JSON.stringify(input ?? null),
      userId,
      nowIso,
    );
    return id;
  }

  /**
   * Keep one worker started ahead of need (the app and browser mode call this at start; tests do
   * not, so a test store does not pay for a thread it never uses).
   */
  warmUp(): void {
    this.keepSpare = true;
    this.spare ??= this.startWorker();
  }

  /**
   * Resolves once the spare worker has loaded the app's modules (at once without a spare). Benchmarks
   * wait on it so they time the job, not the module loading that warmUp moves ahead of need.
   */
  spareReady(): Promise<void> {
    return this.spareLoaded;
  }

  private startWorker(): Worker {
    const worker = startAppWorker('worker', 'jobs/worker.ts');
    worker.unref();
    this.spareLoaded = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.once('exit', () => resolve());
    });
    // A spare that dies before its job (e.g. during shutdown) is simply replaced when needed.
    worker.once('exit', () => {
      if (this.spare === worker) this.spare = null;
    });
    return worker;
  }

  launch(jobId: string): void {
    if (!this.options.supervises) throw new Error('Only the main process launches jobs');
    const cancelBuffer = new SharedArrayBuffer(4);
    const worker = this.spare ?? this.startWorker();
    // The next spare loads once this job is done, not beside it: loading the modules takes seconds
    // of CPU, which on a two-core machine a billing run would lose to it.
    this.spare = null;
    worker.ref();
    const assignment: JobAssignment = { dataDir: this.kernel.dataDir, jobId, cancelBuffer };
    worker.postMessage(assignment);
    const done = new Promise<void>((resolve) => {
      const finish = (error?: unknown) => {
        this.running.delete(jobId);
        if (this.keepSpare && !this.spare) this.spare = this.startWorker();
        if (error) {
          this.kernel.log.error(`job ${jobId} worker crashed`, error);
          sqlRun(
            this.kernel.db,
            `UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state IN ('queued','running')`,
            'The job stopped unexpectedly; nothing half-written was kept.',
            new Date().toISOString(),
            jobId,
          );
        }
        resolve();
      };
      worker.once('error', finish);
      worker.once('exit', (code) => finish(code === 0 ? undefined : new Error(`worker exited with ${code}`)));
    });
    this.running.set(jobId, { worker, cancelFlag: new Int32Array(cancelBuffer), done });
  }

  get(jobId: string): Job {
    const row = sqlGet<JobsTable>(this.kernel.db, 'SELECT * FROM jobs WHERE id = ?', jobId);
    if (!row) throw new AppError('NOT_FOUND', `Job ${jobId} was not found`);
    return toJob(row);
  }

  list(userId: string, activeOnly: boolean): Job[] {
    const rows = sqlAll<JobsTable>(
      this.kernel.db,
      `SELECT * FROM jobs WHERE created_by = ? ${activeOnly ? "AND state IN ('queued','running')" : ''}
       ORDER BY created_at DESC LIMIT 50`,
      userId,
    );
    return rows.map(toJob);
  }

  /** Asks a job to stop. A queued job is cancelled at once; a running one stops at its next check. */
  cancel(jobId: string): void {
    const running = this.running.get(jobId);
    if (running) Atomics.store(running.cancelFlag, 0, 1);
    sqlRun(
      this.kernel.db,
      `UPDATE jobs SET state = 'cancelled', finished_at = ?, message = 'Cancelled before it started' WHERE id = ? AND state = 'queued'`,
      new Date().toISOString(),
      jobId,
    );
  }

  /** Resolves when the job's worker has exited (tests and shutdown wait on this). */
  async settled(jobId: string): Promise<Job> {
    await this.running.get(jobId)?.done;
    return this.get(jobId);
  }

  /** Resolves once no job is running (tests settle background work before comparing stores). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((j) => j.done));
  }

  /** The file an export job produced, for its owner only. */
  fileOf(jobId: string, principal: Principal): { name: string; mime: string; path: string } {
    const job = this.get(jobId);
    if (job.createdBy !== principal.userId) throw new AppError('FORBIDDEN', 'Only the user who ran this export can download it');
    const file = (job.result as { file?: { name: string; mime: string; path: string } } | null)?.file;
    if (job.state !== 'succeeded' || !file) throw new AppError('NOT_FOUND', 'This job has no file to download');
    const resolved = path.resolve(this.kernel.dataDir, file.path);
    if (!resolved.startsWith(path.resolve(this.kernel.dataDir) + path.sep)) throw new AppError('FORBIDDEN', 'File outside the data folder');
    return { name: file.name, mime: file.mime, path: resolved };
  }

  async shutdown(): Promise<void> {
    this.keepSpare = false;
    await this.spare?.terminate();
    this.spare = null;
    const all = [...this.running.values()];
    for (const job of all) Atomics.store(job.cancelFlag, 0, 1);
    // The grace timer is cleared once the jobs are done: a pending timer keeps the thread alive,
    // and a job worker (which closes its app this way) would linger five seconds before exiting.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(all.map((j) => j.done)), new Promise((r) => (grace = setTimeout(r, 5000)))]);
    clearTimeout(grace);
    await Promise.all([...this.running.values()].map((j) => j.worker.terminate()));
  }
}
