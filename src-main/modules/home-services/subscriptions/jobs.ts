import { z } from 'zod';
import type { RpcResult } from '../../../../src-shared/rpc';
import type { JobContext } from '../../../core/jobs/types';

/**
 * The subscription billing job, in a worker thread, writing only through the pipeline: renewals
 * in chunks (each chunk one transaction, numbers taken inside it, so a crash leaves no gap and a
 * rerun continues where the last one stopped), then the dunning steps that are due, then the
 * packages whose last day passed. Every step is idempotent, so running the job twice on one day
 * issues nothing twice.
 */
export const BILLING_JOB = 'homeServices.subscriptions.billing';

/** Subscriptions per renewal transaction: short, so the counter never waits long for the write lock. */
const CHUNK = 200;

const jobInput = z.object({ asOf: z.string() });

function must<T>(answer: RpcResult<unknown>, what: string): T {
  if (!answer.ok) throw new Error(`${what}: ${answer.error.message}`);
  return answer.result as T;
}

export async function runBillingJob(job: JobContext, raw: unknown) {
  const { asOf } = jobInput.parse(raw);
  const invoices: string[] = [];
  let renewed = 0;
  for (let round = 0; ; round += 1) {
    if (job.cancelled()) return { cancelled: true, renewed, invoices: invoices.length };
    const chunk = must<{ renewed: number; invoices: string[]; done: boolean }>(
      job.dispatch('homeServices.subscriptions.billing.renewDue', { asOf, limit: CHUNK }),
      'Renewing subscriptions',
    );
    renewed += chunk.renewed;
    invoices.push(...chunk.invoices);
    job.progress(Math.min(0.8, 0.1 + round * 0.05), `${renewed} subscriptions renewed, ${invoices.length} invoices issued`);
    if (chunk.done) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  job.progress(0.85, 'Taking the dunning steps that are due');
  const dunning = must<{ steps: unknown[] }>(job.dispatch('homeServices.subscriptions.dunning.advance', { asOf }), 'Dunning');
  job.progress(0.95, 'Closing expired packages');
  // Package expiry belongs to package billing: a starter without rights there just skips it.
  const expiry = job.dispatch('homeServices.packages.expireDue', { asOf });
  const packages =
    !expiry.ok && expiry.error.code === 'FORBIDDEN' ? { expired: 0, breakageSessions: 0 } : must<{ expired: number; breakageSessions: number }>(expiry, 'Expiring packages');
  const summary = {
    asOf,
    renewed,
    invoices: invoices.length,
    firstInvoiceNo: invoices[0] ?? null,
    lastInvoiceNo: invoices.at(-1) ?? null,
    dunningSteps: dunning.steps.length,
    packagesExpired: packages.expired,
    breakageSessions: packages.breakageSessions,
  };
  job.progress(1, `${summary.invoices} invoices issued, ${summary.dunningSteps} dunning steps, ${summary.packagesExpired} packages expired`);
  return summary;
}
