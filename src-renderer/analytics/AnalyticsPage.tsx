import { Group, Paper, SegmentedControl, Select, Stack, Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { MODULE_KEYS, type KpiInfo, type ModuleKey } from '../../src-shared/contracts/reports';
import { FUNCTIONS } from '../../src-shared/permissions';
import { useSession } from '../api/hooks';
import { EmptyState, ErrorAlert, MODULE_LABELS, PageHeader } from '../components';
import { functionLabel } from '../components/labels';
import { useReportingCatalogue } from '../reports/useReporting';
import { ForecastPanel } from './ForecastPanel';
import { HeatmapPanel } from './HeatmapPanel';
import { TargetsPanel } from './TargetsPanel';
import { TrendPanel } from './TrendPanel';
import { VariancePanel } from './VariancePanel';

function kpiGroups(kpis: KpiInfo[]) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const k of kpis) groups.set(k.functionKey, [...(groups.get(k.functionKey) ?? []), { value: k.key, label: k.label }]);
  return [...groups].map(([fn, items]) => ({ group: functionLabel(fn), items }));
}

const TABS = ['trend', 'variance', 'heatmap', 'forecast', 'targets'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { trend: 'Trend', variance: 'Variance', heatmap: 'Exception heatmap', forecast: 'Forecast', targets: 'Targets' };

/** `/analytics?module&kpi&tab`: trend, variance, heatmap and forecast of the KPIs this user may see. */
export function AnalyticsPage() {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const { query, kpis, calendar } = useReportingCatalogue();
  const modules = MODULE_KEYS.filter((m) => FUNCTIONS.some((f) => f.module === m && session.can(f.key, 'view')));
  const module: ModuleKey = (modules as readonly string[]).includes(search.get('module') ?? '') ? (search.get('module') as ModuleKey) : (modules[0] ?? 'energy');
  const moduleKpis = kpis.filter((k) => k.module === module);
  const kpi = moduleKpis.find((k) => k.key === search.get('kpi')) ?? moduleKpis[0];
  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'trend';
  const set = (patch: Record<string, string>) => setSearch((current) => new URLSearchParams({ ...Object.fromEntries(current), ...patch }));
  const functions = FUNCTIONS.filter((f) => f.module === module && session.can(f.key, 'view')).map((f) => ({ key: f.key, label: f.label }));

  return (
    <Stack gap="md">
      <PageHeader
        title="Analytics"
        subtitle="Trend, variance against baseline and target, where exceptions concentrate, and what the next period holds."
        actions={
          modules.length > 1 ? (
            <SegmentedControl
              aria-label="Module"
              value={module}
              onChange={(m) => setSearch({ module: m, tab })}
              data={modules.map((m) => ({ value: m, label: MODULE_LABELS[m]! }))}
            />
          ) : null
        }
      />
      {query.isError ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Tabs value={tab} onChange={(t) => t && set({ tab: t })} keepMounted={false}>
        <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
          <Tabs.List>
            {TABS.map((t) => (
              <Tabs.Tab key={t} value={t}>
                {TAB_LABELS[t]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tab !== 'heatmap' && moduleKpis.length > 0 ? (
            <Select
              label="KPI"
              // Grouped by function: "Completed" or "Sold" alone does not say whose.
              data={kpiGroups(moduleKpis)}
              value={kpi?.key ?? null}
              onChange={(v) => v && set({ kpi: v })}
              allowDeselect={false}
              searchable
              w={280}
            />
          ) : null}
        </Group>
        {query.isSuccess && !kpi && tab !== 'heatmap' ? (
          <Paper withBorder>
            <EmptyState title="No KPIs to analyse" description={`None of the ${MODULE_LABELS[module]} functions your role may view has registered KPIs yet.`} />
          </Paper>
        ) : null}
        {kpi ? (
          <>
            <Tabs.Panel value="trend">
              <TrendPanel kpi={kpi} />
            </Tabs.Panel>
            <Tabs.Panel value="variance">
              <VariancePanel kpi={kpi} />
            </Tabs.Panel>
            <Tabs.Panel value="forecast">
              <ForecastPanel kpi={kpi} />
            </Tabs.Panel>
            <Tabs.Panel value="targets">{calendar ? <TargetsPanel kpi={kpi} calendar={calendar} /> : null}</Tabs.Panel>
          </>
        ) : null}
        <Tabs.Panel value="heatmap">{calendar ? <HeatmapPanel module={module} today={calendar.today} functions={functions} /> : null}</Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
