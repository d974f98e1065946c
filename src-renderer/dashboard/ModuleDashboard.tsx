import { Button, Grid, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { IconChartHistogram, IconReportAnalytics } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { DASHBOARDS } from '../../src-shared/contracts/dashboard';
import { REPORT_PERIODS, type ReportPeriod } from '../../src-shared/contracts/reports';
import { FUNCTIONS } from '../../src-shared/permissions';
import { useRpcQuery, useSession } from '../api/hooks';
import { EmptyState, ErrorAlert, PageHeader } from '../components';
import { MODULES, type ModuleKey } from '../modules/registry';
import { useReportingCatalogue } from '../reports/useReporting';
import { ActionQueue } from './ActionQueue';
import { AlertsPanel } from './AlertsPanel';
import { KpiCard } from './KpiCard';
import { QuickActions } from './QuickActions';
import { Timeline } from './Timeline';

const PERIOD_LABELS: Record<ReportPeriod, string> = { day: 'Today', week: 'This week', month: 'This month' };

/**
 * A module's start page: KPI cards on top (each opens its report), then the pending action queue,
 * exception alerts and quick actions, then the recent transactions. The period is in the URL.
 */
export function ModuleDashboard({ module }: { module: ModuleKey }) {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const requested = search.get('period');
  const period: ReportPeriod = (REPORT_PERIODS as readonly string[]).includes(requested ?? '') ? (requested as ReportPeriod) : 'month';
  const dashboard = useRpcQuery(DASHBOARDS[module].get, { period }, { keepPrevious: true, refetchInterval: 60_000 });
  const { reports } = useReportingCatalogue();
  const info = MODULES.find((m) => m.key === module)!;
  const data = dashboard.data;
  const seesAnything = FUNCTIONS.some((f) => f.module === module && session.can(f.key, 'view'));

  return (
    <Stack gap="md">
      <PageHeader
        title={info.label}
        subtitle={`${session.system.branchName}${data ? ` · ${data.range.from === data.range.to ? data.range.from : `${data.range.from} to ${data.range.to}`}` : ''}`}
        actions={
          <>
            <SegmentedControl
              aria-label="Dashboard period"
              value={period}
              onChange={(value) => setSearch(value === 'month' ? {} : { period: value })}
              data={REPORT_PERIODS.map((value) => ({ value, label: PERIOD_LABELS[value] }))}
            />
            <Button component={Link} to={`/reports?module=${module}`} variant="default" leftSection={<IconReportAnalytics size={16} />}>
              Reports
            </Button>
            <Button component={Link} to={`/analytics?module=${module}`} variant="default" leftSection={<IconChartHistogram size={16} />}>
              Analytics
            </Button>
          </>
        }
      />
      {dashboard.isError ? <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {!seesAnything ? (
        <Paper withBorder>
          <EmptyState
            title="None of this module’s functions is open to your role"
            description="Ask an administrator to grant “view” on the function you need (Administration → Roles & permissions)."
          />
        </Paper>
      ) : null}
      {!data && dashboard.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} height={170} radius="md" />
          ))}
        </SimpleGrid>
      ) : null}
      {data ? (
        <>
          {data.kpis.length > 0 ? (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" aria-label="Key figures">
              {data.kpis.map((kpi) => (
                <KpiCard key={kpi.key} kpi={kpi} range={data.range} previousRange={data.previousRange} />
              ))}
            </SimpleGrid>
          ) : null}
          <Grid gap="md" align="stretch">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              {/* ?queue=… (from the command palette) opens that tab; the key remounts it when it changes. */}
              <ActionQueue key={search.get('queue') ?? ''} queue={data.queue} tab={search.get('queue')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6, lg: 4 }}>
              <AlertsPanel alerts={data.alerts} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6, lg: 3 }}>
              <QuickActions key={search.get('export') ?? ''} module={module} dashboard={data} reports={reports} openExport={search.get('export') === '1'} />
            </Grid.Col>
          </Grid>
          {data.functions.length > 0 ? <Timeline module={module} functions={data.functions} /> : null}
        </>
      ) : null}
    </Stack>
  );
}
