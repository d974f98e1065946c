import { openTestApp } from '../support/app';
import { monthlyRead, seedMeters } from './pipeline';
import { describeResponsiveness, whileJobRuns } from './responsiveness';
import type { BenchResult } from './types';

/**
 * Import of 50,000 readings (five monthly read cycles of 10,000 meters) from a CSV file as a job, while the main thread keeps answering
 * list calls: the UI stays responsive if those answers stay fast.
 */
export async function benchImport(rows = 50_000): Promise<BenchResult[]> {
  // The app's configuration: WAL checkpoints on a background thread (see core/db/checkpointer.ts).
  const t = openTestApp({ timeZone: 'UTC', validateOutputs: false, checkpointer: true });
  const meters = 10_000;
  const { meterIds } = seedMeters(t, meters);
  const serials = meterIds.map((_, i) => `BM${100000 + i}`);
  const lines = ['meter_serial,read_date,value,read_type,skip_code,remark'];
  for (let i = 0; i < rows; i += 1) {
    const read = monthlyRead(meterIds, i);
    lines.push(`${serials[i % meters]},${read.readDate},${read.value},actual,,`);
  }
  const contentBase64 = Buffer.from(lines.join('\n')).toString('base64');
  const token = t.login('reader');

  const started = performance.now();
  const { jobId } = t.ok<{ jobId: string }>('reader', 'energy.meterReadings.import', { fileName: 'bench.csv', contentBase64 });
  const watched = await whileJobRuns(t, jobId, token, 'energy.meterReadings.list', { limit: 50 });
  const ms = performance.now() - started;
  await t.close();
  const { job } = watched;
  const result = job.result as { saved: number; failed: unknown[] } | null;
  return [
    {
      name: `import of ${rows.toLocaleString('en')} readings from CSV (job in a worker thread)`,
      ms,
      details: `${job.state}, saved ${result?.saved ?? 0}, failed ${result?.failed.length ?? 0}; target ≤ 10 s; ${describeResponsiveness(watched, 'reading list')}`,
    },
  ];
}
