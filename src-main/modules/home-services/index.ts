import type { Registry } from '../../core/rpc/registry';
import type { JobRunners } from '../../core/jobs/types';
import { registerMasterData } from './master-data/service';
import { registerScheduling } from './scheduling/service';
import { registerDispatch } from './dispatch/service';
import { registerVisits } from './visits/service';

/** Appointment scheduling, technician dispatch and home visit tracking, with their master data. */
export function registerHomeServicesField(registry: Registry, jobs: JobRunners): void {
  registerMasterData(registry);
  registerScheduling(registry, jobs);
  registerDispatch(registry, jobs);
  registerVisits(registry, jobs);
}
