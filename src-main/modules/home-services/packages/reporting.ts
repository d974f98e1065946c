/** Both functions' report-engine definitions, for src-main/reporting/functions/index.ts. */
export { packagesReporting } from './reports';
export { subscriptionsReporting } from '../subscriptions/reports';
