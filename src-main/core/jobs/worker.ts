import { parentPort } from 'node:worker_threads';
import { createApp } from '../../app';
import { dispatch } from '../rpc/pipeline';
import { sqlGet, sqlRun } from '../db/store';
import { loadPrincipal } from '../auth/sessions';
import type { JobsTable } from '../db/schema';
import type { JobAssignment } from './manager';
import type { JobContext } from './types';

/**
 * Entry of a job's worker thread. Loading the app's modules is the slow part of starting a job,
 * so a worker is started ahead of need and waits for its assignment; it then opens its own
 * connection to the store, runs the job's runner as the user who started it, records progress
 * and the outcome, and exits.
 */
async function run({ dataDir, jobId, cancelBuffer }: JobAssignment): Promise<void> {
  const cancelFlag = new Int32Array(cancelBuffer);
  const app = createApp({ dataDir, supervisesJobs: false });
  const { kernel } = app;
  const db = kernel.db;
  const finish = (state: 'succeeded' | 'failed' | 'cancelled', fields: { result?: unknown; error?: string; message?: string }) =>
    sqlRun(
      db,
      `UPDATE jobs SET state = ?, progress = CASE WHEN ? = 'succeeded' THEN 1 ELSE progress END, result_json = ?, error = ?,
         message = COALESCE(?, message), finished_at = ? WHERE id = ?`,
      state,
      state,
      fields.result === undefined ? null : JSON.stringify(fields.result),
      fields.error ?? null,
      fields.message ?? null,
      new Date().toISOString(),
      jobId,
    );
  try {
    const job = sqlGet<JobsTable>(db, 'SELECT * FROM jobs WHERE id = ?', jobId);
    if (!job || job.state !== 'queued') return;
    const runner = kernel.jobs.runners.get(job.kind);
    const principal = loadPrincipal(db, job.created_by, null);
    if (!runner || !principal) {
      finish('failed', { error: runner ? 'The user who started this job is no longer active' : `Unknown job kind ${job.kind}` });
      return;
    }
    sqlRun(db, `UPDATE jobs SET state = 'running' WHERE id = ?`, jobId);
    let lastWrite = 0;
    const ctx: JobContext = {
      jobId,
      kernel,
      principal,
      dispatch: (procedure, input, meta) => dispatch(kernel, procedure, input, { principal, meta }),
      progress(fraction, message) {
        const now = Date.now();
        if (now - lastWrite < 200 && fraction < 1) return;
        lastWrite = now;
        sqlRun(db, 'UPDATE jobs SET progress = ?, message = ? WHERE id = ?', Math.max(0, Math.min(1, fraction)), message ?? null, jobId);
      },
      cancelled: () => Atomics.load(cancelFlag, 0) === 1,
    };
    const result = await runner(ctx, JSON.parse(job.input_json) as unknown);
    if (ctx.cancelled()) finish('cancelled', { result, message: 'Cancelled; work finished before the cancel was kept' });
    else finish('succeeded', { result });
  } catch (err) {
    kernel.log.error(`job ${jobId} failed`, err);
    finish('failed', { error: err instanceof Error ? err.message : String(err) });
  } finally {
    await app.close();
    parentPort?.close();
  }
}

parentPort?.once('message', (assignment: JobAssignment) => void run(assignment));
// The modules are loaded once this line runs: say so, for a manager waiting on a warm spare.
parentPort?.postMessage('ready');
