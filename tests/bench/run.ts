/**
 * `npm run bench`: performance figures, each against raw better-sqlite3 measured in the same run,
 * because this machine is shared and noisy — ratios hold where absolute times do not.
 */
import { benchPipeline } from './pipeline';
import { benchImport } from './import';
import { benchBilling } from './billing';
import { benchAvailability } from './availability';
import { benchReporting } from './reporting';
import { benchSync } from './sync';
import type { BenchResult } from './types';

type Bench = { title: string; run: () => Promise<BenchResult[]> };

const benches: Bench[] = [
  { title: 'Pipeline vs raw', run: () => benchPipeline() },
  { title: 'Meter reading import', run: () => benchImport() },
  { title: 'Billing run and counter payments', run: () => benchBilling() },
  { title: 'Availability search', run: async () => [await benchAvailability()] },
  { title: 'Reporting at a million rows', run: () => benchReporting() },
  { title: 'Sync upload to HQ', run: () => benchSync() },
];

async function main(): Promise<void> {
  const only = process.argv[2];
  for (const bench of benches) {
    if (only && !bench.title.toLowerCase().includes(only.toLowerCase())) continue;
    console.log(`\n## ${bench.title}`);
    for (const r of await bench.run()) console.log(`- ${r.name}: ${(r.ms / 1000).toFixed(2)} s — ${r.details}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
