import { BarChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { maintenanceDashboard, reliabilityQuery } from '../../../../../src-shared/contracts/energy/maintenance';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, MoneyText, PageHeader } from '../../../../components';
import { formatHours, formatNumber } from '../../installations/shared/ui';
import { downtimeColumns, workOrderColumns } from '../components/columns';
import { FunctionTabs } from '../components/FunctionTabs';
import { ASSETS, BASE, PARTS, WORK_ORDERS, WORK_ORDER_STATUS_LABELS, assetPath, partPath, workOrderPath } from '../labels';

function Kpi({ label, value, to, color }: { label: string; value: ReactNode; to: string; color?: string }) {
  return (
    <Card withBorder padding="sm" component={Link} to={to}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Card>
  );
}

/**
 * The maintenance desk: backlog, overdue preventive work, assets down and parts to reorder, then
 * the lists to act on and MTBF/MTTR by asset class (chart and table).
 */
export function OverviewPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const dashboard = useRpcQuery(maintenanceDashboard, {}, { refetchInterval: 60_000 });
  const reliability = useRpcQuery(reliabilityQuery, {});
  const data = dashboard.data;

  return (
    <Stack gap={0}>
      <PageHeader
        title="Equipment maintenance"
        subtitle="What needs doing now: overdue preventive work, assets that are down, and parts at their minimum."
        actions={
          can('energy.maintenance', 'create') ? (
            <Button component={Link} to={`${WORK_ORDERS}/new`} leftSection={<IconPlus size={16} />}>
              New work order
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      {dashboard.isError ? <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {data ? (
        <SimpleGrid cols={{ base: 2, md: 6 }} spacing="sm" mb="md">
          <Kpi label="Backlog" value={data.kpis.backlog} to={`${WORK_ORDERS}?unfinished=true`} />
          <Kpi label="Overdue PM" value={data.kpis.overduePm} to={`${WORK_ORDERS}?overdue=true&type=preventive`} color={data.kpis.overduePm ? 'red' : undefined} />
          <Kpi label="Assets down" value={data.kpis.assetsDown} to={`${ASSETS}?status=down`} color={data.kpis.assetsDown ? 'red' : undefined} />
          <Kpi label="Parts at minimum" value={data.kpis.lowStock} to={`${PARTS}?low=true`} color={data.kpis.lowStock ? 'orange' : undefined} />
          <Kpi label="Closed this week" value={data.kpis.closedThisWeek} to={`${WORK_ORDERS}?status=closed`} />
          <Kpi label="Stock value" value={<MoneyText value={data.kpis.stockValue} />} to={PARTS} />
        </SimpleGrid>
      ) : (
        <Skeleton h={80} mb="md" />
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" mb="md">
        <Paper withBorder p="md">
          <Title order={3} fz="sm" mb="sm">
            Overdue work
          </Title>
          <DataTable
            label="Overdue work orders"
            rows={data?.overdue ?? []}
            rowKey="id"
            columns={[workOrderColumns[0]!, workOrderColumns[1]!, workOrderColumns[5]!, workOrderColumns[6]!]}
            onOpen={(w) => navigate(workOrderPath(w.id))}
            empty={<EmptyState title="Nothing overdue" description="Work not finished by its due date shows here, preventive work first to act on." />}
          />
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} fz="sm" mb="sm">
            Down now
          </Title>
          <DataTable
            label="Assets down"
            rows={data?.down ?? []}
            rowKey="id"
            columns={[{ key: 'asset', header: 'Asset', render: (d) => d.assetCode }, ...downtimeColumns.slice(0, 1), downtimeColumns[2]!, downtimeColumns[3]!, downtimeColumns[4]!]}
            onOpen={(d) => navigate(assetPath(d.assetId))}
            empty={<EmptyState title="Everything is running" description="When an asset stops, log its downtime on the asset's page." />}
          />
          {data && data.lowStock.length > 0 ? (
            <>
              <Title order={3} fz="sm" mt="md" mb="xs">
                Reorder
              </Title>
              <Stack gap={2}>
                {data.lowStock.map((p) => (
                  <Group key={p.id} justify="space-between">
                    <Anchor component={Link} to={partPath(p.id)} size="sm">
                      {p.code} · {p.name}
                    </Anchor>
                    <Text size="sm" c="orange">
                      {p.onHand} {p.unit} (minimum {p.minQuantity})
                    </Text>
                  </Group>
                ))}
              </Stack>
            </>
          ) : null}
        </Paper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Title order={3} fz="sm" mb="sm">
            Reliability by asset class
          </Title>
          {reliability.data && reliability.data.byClass.some((r) => r.failures > 0) ? (
            <BarChart
              h={200}
              data={reliability.data.byClass.map((r) => ({ label: r.label, mtbf: r.mtbfDays ?? 0, mttr: r.mttrHours ?? 0 }))}
              dataKey="label"
              series={[
                { name: 'mtbf', label: 'MTBF (days)', color: 'teal.6' },
                { name: 'mttr', label: 'MTTR (hours)', color: 'orange.6' },
              ]}
              withLegend
              aria-label="MTBF and MTTR by asset class; the same figures are in the table below"
            />
          ) : null}
          <Table mt="xs" aria-label="Reliability by asset class">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Class</Table.Th>
                <Table.Th ta="right">Assets</Table.Th>
                <Table.Th ta="right">Failures</Table.Th>
                <Table.Th ta="right">MTBF (days)</Table.Th>
                <Table.Th ta="right">MTTR (hours)</Table.Th>
                <Table.Th ta="right">Downtime</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(reliability.data?.byClass ?? []).map((r) => (
                <Table.Tr key={r.key} style={{ cursor: 'pointer' }} onClick={() => navigate(`${ASSETS}?assetClass=${r.key}`)}>
                  <Table.Td>{r.label}</Table.Td>
                  <Table.Td ta="right">{r.assets}</Table.Td>
                  <Table.Td ta="right">{r.failures}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.mtbfDays, 1)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.mttrHours, 1)}</Table.Td>
                  <Table.Td ta="right">{formatHours(r.downtimeHours)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            MTBF: days in service up to the latest failure, per failure. MTTR: repair hours per finished repair. Planned stops and outages are not failures.
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} fz="sm" mb="sm">
            Latest activity
          </Title>
          {data && data.recent.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing yet. <Anchor component={Link} to={`${BASE}/schedules`}>Plan preventive work</Anchor> or raise a work order.
            </Text>
          ) : (
            <Timeline bulletSize={12} lineWidth={2}>
              {(data?.recent ?? []).map((e) => (
                <Timeline.Item key={e.id}>
                  <Text size="sm">
                    <Anchor component={Link} to={workOrderPath(e.workOrderId)} size="sm">
                      {e.woNo}
                    </Anchor>{' '}
                    {e.fromStatus ? `${WORK_ORDER_STATUS_LABELS[e.fromStatus].toLowerCase()} → ` : 'raised, '}
                    {WORK_ORDER_STATUS_LABELS[e.toStatus].toLowerCase()}
                    {e.note ? ` — ${e.note}` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.actorName} · <DateText value={e.at} span inherit />
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
