import type { Sample } from '../samples';

/**
 * "Run now" only records the request (no scheduler runs in the catalogue's store), so sampling it
 * changes nothing but the routine's bookkeeping and the journal.
 */
export const routineSamples: Record<string, Sample> = {
  'system.routines.runNow': () => ({ as: 'admin', input: { name: 'pmGeneration' } }),
};
