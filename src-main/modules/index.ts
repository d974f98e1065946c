import type { Registry } from '../core/rpc/registry';
import type { JobRunners } from '../core/jobs/types';
import { registerMeterReadings } from './energy/meter-readings/service';
import { registerBilling } from './energy/billing/service';
import { registerCounter } from './energy/counter/service';
import { registerPrepaid } from './energy/prepaid/service';
import { registerInstallations } from './energy/installations/service';
import { registerMaintenance } from './energy/maintenance/service';
import { registerHomeServicesField } from './home-services';
import { registerPackagesAndSubscriptions } from './home-services/packages';
import { registerReporting } from '../reporting/service';
import { registerSync } from '../sync/service';

/**
 * Every module's procedures and job runners. The app, job workers and tests all build their
 * registry from here, so a procedure cannot exist in one process and not another.
 */
export function registerModules(registry: Registry, jobs: JobRunners): void {
  registerMeterReadings(registry, jobs);
  registerBilling(registry, jobs);
  registerCounter(registry, jobs);
  registerPrepaid(registry, jobs);
  registerInstallations(registry, jobs);
  registerMaintenance(registry, jobs);
  registerHomeServicesField(registry, jobs);
  registerPackagesAndSubscriptions(registry, jobs);
  registerSync(registry, jobs);
  // Last: the report engine reads what the modules registered (dashboard timelines).
  registerReporting(registry, jobs);
}
