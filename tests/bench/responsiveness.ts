import { dispatch } from '../../src-main/core/rpc/pipeline';
import type { Job } from '../../src-shared/contracts/kernel';
import type { TestApp } from '../support/app';

export interface Responsiveness {
  /** The job as it ended. */
  job: Job;
  calls: number;
  p95Ms: number;
  maxMs: number;
  /** The longest the main thread's event loop went without turning (what a user feels as a freeze). */
  maxLagMs: number;
}

/**
 * Waits for a job while doing what the open window does meanwhile: a list call on the main thread
 * every 100 ms, with an event-loop lag probe beside it. Fast answers and a small lag throughout are
 * what "the UI stays responsive" means.
 */
export async function whileJobRuns(t: TestApp, jobId: string, token: string, procedure: string, input: unknown): Promise<Responsiveness> {
  const latencies: number[] = [];
  let maxLag = 0;
  let last = performance.now();
  const lagProbe = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 20);
    last = now;
  }, 20);
  try {
    for (;;) {
      const before = performance.now();
      const answer = dispatch(t.kernel, procedure, input, { token });
      latencies.push(performance.now() - before);
      if (!answer.ok) throw new Error(`${procedure} during the job: ${answer.error.message}`);
      const job = t.kernel.jobs.get(jobId);
      if (job.state !== 'queued' && job.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    clearInterval(lagProbe);
  }
  const job = await t.kernel.jobs.settled(jobId);
  latencies.sort((a, b) => a - b);
  return {
    job,
    calls: latencies.length,
    p95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
    maxMs: latencies[latencies.length - 1] ?? 0,
    maxLagMs: maxLag,
  };
}

export const describeResponsiveness = (r: Responsiveness, what: string): string =>
  `main thread meanwhile: ${what} p95 ${r.p95Ms.toFixed(1)} ms (max ${r.maxMs.toFixed(0)} ms) over ${r.calls} calls, max event-loop lag ${r.maxLagMs.toFixed(0)} ms`;
