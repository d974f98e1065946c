import { Group, Paper, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { shiftsGet, shiftsList, TENDERS, type Tender } from '../../../../src-shared/contracts/energy/counter';
import { useRpcPages, useRpcQuery } from '../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, LoadMore, PageHeader, showingOf, StatusBadge } from '../../../components';
import { formatAmount } from './printing';

export function ShiftsListPage() {
  const navigate = useNavigate();
  const shifts = useRpcPages(shiftsList, {});
  return (
    <>
      <PageHeader title="Cashier shifts" subtitle="Open shifts show their X report; closed ones their Z report." />
      {shifts.query.error ? <ErrorAlert error={shifts.query.error} /> : null}
      <DataTable
        label="Shifts"
        rows={shifts.rows}
        loading={shifts.query.isLoading}
        rowKey="id"
        onOpen={(s) => navigate(`/energy/counter/shifts/${s.id}`)}
        empty={<EmptyState title="No shifts yet" description="A cashier opens a shift on the Counter screen." />}
        columns={[
          { key: 'shiftNo', header: 'Shift', render: (s) => `#${s.shiftNo}` },
          { key: 'cashierName', header: 'Cashier' },
          { key: 'status', header: 'Status', render: (s) => <StatusBadge status={s.pendingCloseApprovalId ? 'pending' : s.status} label={s.pendingCloseApprovalId ? 'Close waiting' : undefined} /> },
          { key: 'openedAt', header: 'Opened', render: (s) => <DateText value={s.openedAt} /> },
          { key: 'closedAt', header: 'Closed', render: (s) => <DateText value={s.closedAt ?? ''} /> },
          { key: 'variance', header: 'Variance', align: 'right', render: (s) => (s.variance === null ? '—' : formatAmount(s.variance)) },
        ]}
        totalLabel={shifts.total > shifts.rows.length ? showingOf(shifts.rows.length, shifts.total, 'shift') : null}
        footer={<LoadMore query={shifts.query} />}
      />
    </>
  );
}

export function ShiftDetailPage() {
  const { id = '' } = useParams();
  const data = useRpcQuery(shiftsGet, { id });
  if (data.error) return <ErrorAlert error={data.error} />;
  if (!data.data) return null;
  const { shift, report } = data.data;
  return (
    <>
      <PageHeader
        title={`Shift #${shift.shiftNo} — ${report.kind} report`}
        subtitle={`${shift.cashierName} · opened ${new Date(shift.openedAt).toLocaleString()}`}
        badge={<StatusBadge status={shift.status} />}
      />
      <ApprovalBanner entity="cashierShift" entityId={shift.id} />
      <Tabs defaultValue="report">
        <Tabs.List>
          <Tabs.Tab value="report">{report.kind} report</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="report" pt="md">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                By tender
              </Text>
              <Table aria-label="By tender">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Tender</Table.Th>
                    <Table.Th ta="right">Expected</Table.Th>
                    <Table.Th ta="right">Counted</Table.Th>
                    <Table.Th ta="right">Variance</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(Object.keys(TENDERS) as Tender[]).map((t) => (
                    <Table.Tr key={t}>
                      <Table.Td>{TENDERS[t].label}</Table.Td>
                      <Table.Td ta="right">{formatAmount(report.expected[t])}</Table.Td>
                      <Table.Td ta="right">{report.counted ? formatAmount(report.counted[t]) : '—'}</Table.Td>
                      <Table.Td ta="right">{report.variance ? formatAmount(report.variance[t]) : '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                By transaction type
              </Text>
              <Stack gap={4}>
                {report.byType.map((r) => (
                  <Group key={r.type} justify="space-between">
                    <Text size="sm">
                      {r.label} ({r.count})
                    </Text>
                    <Text size="sm">{formatAmount(r.amount)}</Text>
                  </Group>
                ))}
                <Group justify="space-between">
                  <Text size="sm" fw={700}>
                    Total taken ({report.transactions})
                  </Text>
                  <Text size="sm" fw={700}>
                    {formatAmount(report.totalTaken)}
                  </Text>
                </Group>
              </Stack>
            </Paper>
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail entity="cashierShift" entityId={shift.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
