import { z } from 'zod';
import type { JobContext } from '../../../core/jobs/types';
import type { RpcResult } from '../../../../src-shared/rpc';

/**
 * The billing run jobs. They run in a worker thread and write only through the pipeline: the
 * trial drafts bills chunk by chunk (each chunk one transaction, so the window stays responsive
 * and a cancel lands between chunks), the post is one transaction (see postCommit).
 */
export const TRIAL_JOB = 'energy.billing.trial';
export const POST_JOB = 'energy.billing.post';

/** Accounts per trial transaction: short enough that the counter never waits long for the write lock. */
export const TRIAL_CHUNK = 1000;

const jobInput = z.object({ runId: z.string() });

function must<T>(answer: RpcResult<unknown>, what: string): T {
  if (!answer.ok) throw new Error(`${what}: ${answer.error.message}`);
  return answer.result as T;
}

export async function runTrial(job: JobContext, raw: unknown) {
  const { runId } = jobInput.parse(raw);
  const run = must<{ run: { accountsCount: number } }>(job.dispatch('energy.billing.runs.get', { id: runId }), 'Reading the run');
  const expected = Math.max(1, run.run.accountsCount);
  let after: string | null = null;
  let processed = 0;
  for (;;) {
    if (job.cancelled()) {
      must(job.dispatch('energy.billing.runs.abort', { runId, reason: 'Trial cancelled while drafting' }), 'Stopping the trial');
      return { cancelled: true, processed };
    }
    const chunk: { processed: number; lastAccountId: string | null; done: boolean } = must(
      job.dispatch('energy.billing.runs.trialChunk', { runId, after, limit: TRIAL_CHUNK }),
      'Drafting bills',
    );
    processed += chunk.processed;
    job.progress(Math.min(0.99, processed / expected), `${processed.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} accounts drafted`);
    if (chunk.done) break;
    after = chunk.lastAccountId;
    // Let the worker's event loop breathe (progress writes, the cancel flag is shared memory anyway).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const finished = must<{ billsCount: number; heldCount: number; exceptionsCount: number; total: number }>(
    job.dispatch('energy.billing.runs.trialFinish', { runId }),
    'Closing the trial',
  );
  job.progress(1, `${finished.billsCount.toLocaleString('en-US')} bills drafted, ${finished.heldCount} held, ${finished.exceptionsCount} with exceptions`);
  return { processed, bills: finished.billsCount, held: finished.heldCount, exceptions: finished.exceptionsCount, total: finished.total };
}

export async function runPost(job: JobContext, raw: unknown) {
  const { runId } = jobInput.parse(raw);
  if (job.cancelled()) {
    must(job.dispatch('energy.billing.runs.abort', { runId, reason: 'Posting cancelled before it started' }), 'Stopping the post');
    return { cancelled: true };
  }
  job.progress(0.05, 'Numbering and posting bills');
  const answer = job.dispatch('energy.billing.runs.postCommit', { runId });
  if (!answer.ok) {
    // Nothing was posted (the transaction rolled back); put the run back in review and say why.
    job.dispatch('energy.billing.runs.abort', { runId, reason: `Posting failed: ${answer.error.message}` });
    throw new Error(`Posting failed: ${answer.error.message}`);
  }
  const run = answer.result as { billsCount: number; firstBillNo: string | null; lastBillNo: string | null };
  job.progress(1, `${run.billsCount.toLocaleString('en-US')} bills posted${run.firstBillNo ? ` (${run.firstBillNo} to ${run.lastBillNo})` : ''}`);
  return { bills: run.billsCount, firstBillNo: run.firstBillNo, lastBillNo: run.lastBillNo };
}
