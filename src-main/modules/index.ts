import type { Registry } from '../core/rpc/registry';
import type { JobRunners } from '../core/jobs/types';
import { registerMeterReadings } from './energy/meter-readings/service';

/**
 * Every module's procedures and job runners. The app, job workers and tests all build their
 * registry from here, so a procedure cannot exist in one process and not another.
 */
export function registerModules(registry: Registry, jobs: JobRunners): void {
  registerMeterReadings(registry, jobs);
}
