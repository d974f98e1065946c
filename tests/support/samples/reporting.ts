import type { Target } from '../../../src-shared/contracts/analytics';
import type { ReportView } from '../../../src-shared/contracts/reports';
import type { Sample } from '../samples';

/**
 * One valid call per reporting mutation: export, saved views and targets. Each makes what it
 * needs first, so they run in any order in one shared store.
 */

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${(counter += 1)}`;
const REPORT = 'energy.meterReadings.readings';
const params = { period: 'week', groupBy: 'user', filters: {}, range: { preset: 'thisMonth' } } as const;

export const reportingSamples: Record<string, Sample> = {
  'reports.export': () => ({ as: 'supervisor', input: { report: REPORT, from: '2025-01-01', to: '2025-01-31', format: 'xlsx' } }),
  'reports.views.save': () => ({ as: 'supervisor', input: { report: REPORT, name: `Sample ${unique()}`, params, shared: true } }),
  'reports.views.delete': (t) => {
    const view = t.ok<ReportView>('supervisor', 'reports.views.save', { report: REPORT, name: `To delete ${unique()}`, params });
    return { as: 'supervisor', input: { id: view.id, version: view.version } };
  },
  'targets.set': (t) => {
    const kpi = 'energy.meterReadings.readings';
    const current = t.ok<Target[]>('supervisor', 'targets.list', { kpi }).find((x) => x.period === 'month' && x.periodStart === null);
    return { as: 'supervisor', input: { kpi, period: 'month', value: 100 + (counter += 1), version: current?.version ?? 0 } };
  },
};
