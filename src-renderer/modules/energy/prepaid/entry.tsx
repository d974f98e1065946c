import { Alert, Button, Checkbox, Group, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Switch, Tabs, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { IconBolt } from '@tabler/icons-react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { PREPAID_GROUPS, prepaidAccountsEnrol, prepaidAccountsGet, prepaidAccountsList, prepaidExport, prepaidReport, vendsReprint, vendsReverse, type VendRow } from '../../../../src-shared/contracts/energy/prepaid';
import { accountsList } from '../../../../src-shared/contracts/energy/meter-readings';
import { RpcError, useRpcMutation, useRpcPages, useRpcQuery, useSession } from '../../../api/hooks';
import { useZodForm } from '../../../api/forms';
import { AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, LoadMore, PageHeader, showingOf, StatusBadge } from '../../../components';
import type { FunctionEntry } from '../../registry';
import { ReportScreen } from '../counter/ReportScreen';
import { formatAmount, parseAmount } from '../counter/printing';

const PATH = '/energy/prepaid';

function EnrolDialog({ onClose }: { onClose(): void }) {
  const [search, setSearch] = useState('');
  const found = useRpcQuery(accountsList, { search, limit: 5 }, { enabled: search.length >= 3 });
  const account = found.data?.rows[0];
  const enrol = useRpcMutation(prepaidAccountsEnrol, { notifyErrors: false });
  const form = useZodForm(
    prepaidAccountsEnrol.input,
    { tariffCode: 'PRE-RES', debt: '0', recovery: '25', enrolledOn: '' },
    (v) => ({ accountId: account?.id ?? '', tariffCode: v.tariffCode, debt: parseAmount(v.debt || '0') ?? Number.NaN, debtRecoveryBp: Math.round(Number(v.recovery) * 100), enrolledOn: v.enrolledOn }),
  );
  return (
    <Modal opened onClose={onClose} title="Make an account prepaid">
      <form onSubmit={form.onSubmit((input) => enrol.mutate({ input }, { onSuccess: onClose, onError: (e) => form.applyServerErrors(e) }))}>
        <Stack>
          <TextInput label="Account" value={search} onChange={(e) => setSearch(e.currentTarget.value)} description={account ? `${account.accountNo} ${account.name}` : 'Account number, name or meter'} error={form.errors.accountId} data-autofocus />
          <TextInput label="Prepaid tariff" {...form.text('tariffCode')} />
          <Group grow>
            <TextInput label="Arrears to recover" {...form.text('debt')} />
            <TextInput label="Recovery % of each vend" {...form.text('recovery')} error={form.errors.debtRecoveryBp} />
          </Group>
          <TextInput label="Prepaid from" type="date" {...form.text('enrolledOn')} />
          {enrol.error && enrol.error.code !== 'VALIDATION' ? <ErrorAlert error={enrol.error} /> : null}
          <Button type="submit" loading={enrol.isPending}>
            Enrol
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function ReverseDialog({ vend, onClose }: { vend: VendRow; onClose(): void }) {
  const reverse = useRpcMutation(vendsReverse, { notifyErrors: false });
  const [tokenLoaded, setTokenLoaded] = useState(true);
  const [settlement, setSettlement] = useState<'refund' | 'credit'>('refund');
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={`Reverse vend ${vend.receiptNo}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reverse.mutate({ input: { id: vend.id, version: vend.version, tokenLoaded, settlement, reason } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Text size="sm">A token cannot be taken back from the meter. If it was loaded, what it delivered becomes arrears.</Text>
          <Checkbox label="The token was loaded into the meter" checked={tokenLoaded} onChange={(e) => setTokenLoaded(e.currentTarget.checked)} />
          <SegmentedControl aria-label="Money" value={settlement} onChange={(v) => setSettlement(v as 'refund' | 'credit')} data={[{ value: 'refund', label: 'Refund the money' }, { value: 'credit', label: 'Keep as credit' }]} />
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          {reverse.error ? (
            reverse.error instanceof RpcError && reverse.error.code === 'APPROVAL_REQUIRED' ? (
              <Alert color="yellow">Sent for approval: another supervisor must approve the reversal.</Alert>
            ) : (
              <ErrorAlert error={reverse.error} />
            )
          ) : null}
          <Button type="submit" color="red" loading={reverse.isPending}>
            Ask to reverse
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function AccountsPage() {
  const navigate = useNavigate();
  const session = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const [params, setParams] = useSearchParams();
  const lowCredit = params.get('lowCredit') === '1';
  const accounts = useRpcPages(prepaidAccountsList, { lowCredit });
  return (
    <>
      <PageHeader
        title="Prepaid accounts"
        subtitle="Vends happen at the Counter; the low-credit list shows who runs out soonest."
        actions={session.can('energy.prepaid', 'admin') ? <Button onClick={() => setEnrolling(true)}>Enrol an account</Button> : null}
      />
      {enrolling ? <EnrolDialog onClose={() => setEnrolling(false)} /> : null}
      <Switch label="Low credit only" checked={lowCredit} onChange={(e) => setParams(e.currentTarget.checked ? { lowCredit: '1' } : {})} mb="md" />
      {accounts.query.error ? <ErrorAlert error={accounts.query.error} /> : null}
      <DataTable
        label="Prepaid accounts"
        rows={accounts.rows}
        loading={accounts.query.isLoading}
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
        totalLabel={accounts.total > accounts.rows.length ? showingOf(accounts.rows.length, accounts.total, 'account') : null}
        footer={<LoadMore query={accounts.query} />}
      />
    </>
  );
}

function AccountPage() {
  const { accountId = '' } = useParams();
  const data = useRpcQuery(prepaidAccountsGet, { accountId });
  const reprint = useRpcMutation(vendsReprint);
  const session = useSession();
  const [reversing, setReversing] = useState<VendRow | null>(null);
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
                    {session.can('energy.prepaid', 'void') && v.status === 'completed' && v.kind === 'sale' ? (
                      <Button size="xs" variant="light" color="red" onClick={() => setReversing(v)}>
                        Reverse
                      </Button>
                    ) : null}
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
      {reversing ? <ReverseDialog vend={reversing} onClose={() => setReversing(null)} /> : null}
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
