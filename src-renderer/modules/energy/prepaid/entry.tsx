import { Button, Group, Paper, SimpleGrid, Switch, Tabs, Text } from '@mantine/core';
import { IconBolt } from '@tabler/icons-react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { PREPAID_GROUPS, prepaidAccountsGet, prepaidAccountsList, prepaidExport, prepaidReport, vendsReprint } from '../../../../src-shared/contracts/energy/prepaid';
import { useRpcMutation, useRpcQuery } from '../../../api/hooks';
import { AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, PageHeader, StatusBadge } from '../../../components';
import type { FunctionEntry } from '../../registry';
import { ReportScreen } from '../counter/ReportScreen';
import { formatAmount } from '../counter/printing';

const PATH = '/energy/prepaid';

function AccountsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const lowCredit = params.get('lowCredit') === '1';
  const accounts = useRpcQuery(prepaidAccountsList, { lowCredit, limit: 100 }, { keepPrevious: true });
  return (
    <>
      <PageHeader title="Prepaid accounts" subtitle="Vends happen at the Counter; the low-credit list shows who runs out soonest." />
      <Switch label="Low credit only" checked={lowCredit} onChange={(e) => setParams(e.currentTarget.checked ? { lowCredit: '1' } : {})} mb="md" />
      {accounts.error ? <ErrorAlert error={accounts.error} /> : null}
      <DataTable
        label="Prepaid accounts"
        rows={accounts.data?.rows ?? []}
        loading={accounts.isLoading}
        rowKey="accountId"
        onOpen={(a) => navigate(`${PATH}/${a.accountId}`)}
        empty={<EmptyState title={lowCredit ? 'Nobody is about to run out' : 'No prepaid accounts'} description="Enrol an account on a prepaid tariff to sell it credit." />}
        columns={[
          { key: 'accountNo', header: 'Account' },
          { key: 'name', header: 'Name' },
          { key: 'stsMeterNo', header: 'Meter no.' },
          { key: 'tariffCode', header: 'Tariff' },
          { key: 'debt', header: 'Arrears', align: 'right', render: (a) => formatAmount(a.debt) },
          { key: 'units', header: 'Units left (est.)', align: 'right', render: (a) => a.estimate.remainingUnits },
          { key: 'days', header: 'Days to empty', align: 'right', render: (a) => a.estimate.daysToEmpty ?? '—' },
          { key: 'status', header: 'Status', render: (a) => <StatusBadge status={a.status} /> },
        ]}
      />
    </>
  );
}

function AccountPage() {
  const { accountId = '' } = useParams();
  const data = useRpcQuery(prepaidAccountsGet, { accountId });
  const reprint = useRpcMutation(vendsReprint);
  if (data.error) return <ErrorAlert error={data.error} />;
  if (!data.data) return null;
  const { account, vends } = data.data;
  return (
    <>
      <PageHeader title={`${account.accountNo} ${account.name}`} subtitle={`Meter ${account.stsMeterNo} · ${account.tariffCode}`} badge={<StatusBadge status={account.status} />} />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        {[
          ['Arrears', formatAmount(account.debt)],
          ['Recovery', `${account.debtRecoveryBp / 100}%`],
          ['Emergency credit owed', formatAmount(account.emergencyOutstanding)],
          ['Bought today / limit', `${formatAmount(account.vendedToday)} / ${formatAmount(account.dailyLimit)}`],
          ['Units left (est.)', String(account.estimate.remainingUnits)],
          ['Daily use', `${account.estimate.dailyUse} (${account.estimate.basis})`],
          ['Days to empty', String(account.estimate.daysToEmpty ?? '—')],
          ['Credit', formatAmount(account.credit)],
        ].map(([label, value]) => (
          <Paper key={label} withBorder p="sm">
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text fw={600}>{value}</Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Tabs defaultValue="vends">
        <Tabs.List>
          <Tabs.Tab value="vends">Vends</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="vends" pt="md">
          <DataTable
            label="Vends"
            rows={vends}
            rowKey="id"
            empty={<EmptyState title="No vends yet" description="Sell credit at the Counter." />}
            columns={[
              { key: 'receiptNo', header: 'Receipt' },
              { key: 'createdAt', header: 'At', render: (v) => <DateText value={v.createdAt} /> },
              { key: 'kind', header: 'Kind' },
              { key: 'amount', header: 'Paid', align: 'right', render: (v) => formatAmount(v.amount) },
              { key: 'units', header: 'Units', align: 'right' },
              { key: 'token', header: 'Token' },
              { key: 'status', header: 'Status', render: (v) => <StatusBadge status={v.status} /> },
              {
                key: 'reprint',
                header: '',
                render: (v) => (
                  <Group gap={4}>
                    <Button size="xs" variant="default" onClick={() => reprint.mutate({ input: { id: v.id, reason: 'Customer asked for a copy' } })}>
                      Reprint ({v.reprints})
                    </Button>
                  </Group>
                ),
              },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail entity="prepaidAccount" entityId={account.accountId} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function PrepaidReportPage() {
  return (
    <ReportScreen
      title="Prepaid report"
      report={prepaidReport}
      exportContract={prepaidExport}
      groups={PREPAID_GROUPS}
      columns={[
        { key: 'vends', header: 'Vends' },
        { key: 'amount', header: 'Amount', money: true },
        { key: 'units', header: 'Units' },
        { key: 'debtRecovered', header: 'Debt recovered', money: true },
        { key: 'serviceCharges', header: 'Service charges', money: true },
        { key: 'tax', header: 'Tax', money: true },
        { key: 'emergencyIssued', header: 'Emergency issued', money: true },
        { key: 'reversals', header: 'Reversals' },
      ]}
    />
  );
}

export const prepaidEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.prepaid',
  label: 'Prepaid credit management',
  path: PATH,
  icon: <IconBolt size={18} stroke={1.6} />,
  permission: 'energy.prepaid:view',
  routes: [
    { path: PATH, element: <AccountsPage /> },
    { path: `${PATH}/report`, element: <PrepaidReportPage /> },
    { path: `${PATH}/:accountId`, element: <AccountPage /> },
  ],
  quickActions: [
    { label: 'Low-credit list', path: `${PATH}?lowCredit=1` },
    { label: 'Prepaid report', path: `${PATH}/report` },
  ],
};
