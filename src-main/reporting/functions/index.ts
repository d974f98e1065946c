import type { FunctionReportingDef } from '../definitions';
import { meterReadingsReporting } from './meter-readings';
import { installationsReporting } from './installations';
import { maintenanceReporting } from './maintenance';
import { billingReporting } from './billing';
import { counterReporting } from './counter';
import { prepaidReporting } from './prepaid';
import { dispatchReporting, schedulingReporting, visitsReporting } from './home-services-field';
import { packagesReporting, subscriptionsReporting } from '../../modules/home-services/packages/reporting';

/**
 * Every function's reports, KPIs and exception sources. Adding a function is one file in this
 * folder and one line here (docs/reporting.md).
 */
export const FUNCTION_REPORTING: readonly FunctionReportingDef[] = [
  meterReadingsReporting,
  billingReporting,
  counterReporting,
  installationsReporting,
  maintenanceReporting,
  prepaidReporting,
  schedulingReporting,
  dispatchReporting,
  visitsReporting,
  packagesReporting,
  subscriptionsReporting,
];
