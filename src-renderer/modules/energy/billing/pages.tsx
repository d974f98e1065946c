import { Alert, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  BILL_EXCEPTIONS,
  billsCancelRebill,
  billsGet,
  billsList,
  cyclesList,
  runsCreate,
  runsDiscard,
  runsGet,
  runsList,
  runsPost,
  tariffsList,
  type BillExceptionCode,
} from '../../../../src-shared/contracts/energy/billing';
import { RpcError, useRpcMutation, useRpcPages, useRpcQuery, useSession } from '../../../api/hooks';
import { useHqOwnership } from '../../../api/ownership';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, JobProgress, LoadMore, PageHeader, showingOf, StatusBadge } from '../../../components';
import { PrintArea, PrintStyles, formatAmount, printNow } from '../counter/printing';

export const BILLING_PATH = '/energy/billing';

function StartRun({ onClose }: { onClose(): void }) {
  const navigate = useNavigate();
  const cycles = useRpcQuery(cyclesList, {});
  const create = useRpcMutation(runsCreate, { notifyErrors: false });
  const [cycleId, setCycleId] = useState<string | null>(null);
  const cycle = cycles.data?.find((c) => c.id === cycleId);
  const [periodEnd, setPeriodEnd] = useState('');
  return (
    <Modal opened onClose={onClose} title="Start a trial run">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (cycleId) create.mutate({ input: { cycleId, periodEnd: periodEnd || cycle?.lastClosedPeriodEnd || '' } }, { onSuccess: (run) => navigate(`${BILLING_PATH}/runs/${run.id}`) });
        }}
      >
        <Stack>
          <Select label="Cycle" data={(cycles.data ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name} (${c.accountCount} accounts)` }))} value={cycleId} onChange={setCycleId} data-autofocus />
          <TextInput label="Period end" type="date" value={periodEnd || cycle?.lastClosedPeriodEnd || ''} onChange={(e) => setPeriodEnd(e.currentTarget.value)} description="A close date of the cycle that has passed" />
          {create.error ? <ErrorAlert error={create.error} /> : null}
          <Button type="submit" loading={create.isPending} disabled={!cycleId}>
            Start trial
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function RunsPage() {
  const navigate = useNavigate();
  const session = useSession();
  const runs = useRpcPages(runsList, {}, { refetchInterval: 3000 });
  const [starting, setStarting] = useState(false);
  return (
    <>
      <PageHeader
        title="Billing runs"
        subtitle="A trial drafts bills and lists exceptions; posting freezes and numbers them."
        actions={
          <>
            <Button variant="default" component={Link} to={`${BILLING_PATH}/bills`}>
              Bills
            </Button>
            <Button variant="default" component={Link} to={`${BILLING_PATH}/tariffs`}>
              Tariffs
            </Button>
            <Button variant="default" component={Link} to={`${BILLING_PATH}/cycles`}>
              Cycles
            </Button>
            {session.can('energy.billing', 'create') ? <Button onClick={() => setStarting(true)}>Start trial run</Button> : null}
          </>
        }
      />
      {runs.query.error ? <ErrorAlert error={runs.query.error} /> : null}
      <DataTable
        label="Billing runs"
        rows={runs.rows}
        loading={runs.query.isLoading}
        rowKey="id"
        onOpen={(r) => navigate(`${BILLING_PATH}/runs/${r.id}`)}
        empty={<EmptyState title="No billing runs yet" description="Start a trial run for a cycle whose period has closed." />}
        columns={[
          { key: 'cycleCode', header: 'Cycle' },
          { key: 'periodEnd', header: 'Period', render: (r) => `${r.periodStart} – ${r.periodEnd}` },
          { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.interrupted ? 'failed' : r.status} label={r.interrupted ? 'Interrupted' : undefined} /> },
          { key: 'billsCount', header: 'Bills', align: 'right' },
          { key: 'exceptionsCount', header: 'Exceptions', align: 'right' },
          { key: 'total', header: 'Total', align: 'right', render: (r) => formatAmount(r.total) },
          { key: 'bills', header: 'Numbers', render: (r) => (r.firstBillNo ? `${r.firstBillNo} – ${r.lastBillNo}` : '—') },
        ]}
        totalLabel={runs.total > runs.rows.length ? showingOf(runs.rows.length, runs.total, 'run') : null}
        footer={<LoadMore query={runs.query} />}
      />
      {starting ? <StartRun onClose={() => setStarting(false)} /> : null}
    </>
  );
}

/** A run whose job is drafting or posting right now (not one left interrupted). */
const isWorking = (run: { status: string; interrupted: boolean } | undefined): boolean =>
  run !== undefined && (run.status === 'trial_running' || run.status === 'posting') && !run.interrupted;

export function RunDetailPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const exception = (params.get('exception') ?? undefined) as BillExceptionCode | undefined;
  const data = useRpcQuery(runsGet, { id }, { refetchInterval: (d) => (isWorking(d?.run) ? 1500 : false) });
  // While the trial drafts (or the post numbers) bills, the list follows it; a run has a page per
  // hundred accounts, and "Load more" walks them in account order.
  const bills = useRpcPages(billsList, { runId: id, exception }, { refetchInterval: isWorking(data.data?.run) ? 3000 : false });
  const post = useRpcMutation(runsPost);
  const discard = useRpcMutation(runsDiscard);
  if (data.error) return <ErrorAlert error={data.error} />;
  if (!data.data) return null;
  const { run, exceptions } = data.data;
  const working = isWorking(run);
  return (
    <>
      <PageHeader
        title={`Run ${run.cycleCode} · ${run.periodStart} – ${run.periodEnd}`}
        badge={<StatusBadge status={run.interrupted ? 'failed' : run.status} label={run.interrupted ? 'Interrupted' : undefined} />}
        subtitle={`${run.billsCount} bills · ${run.heldCount} held · ${formatAmount(run.total)}`}
        actions={
          <>
            {(run.status === 'trial' || (run.status === 'posting' && run.interrupted)) && session.can('energy.billing', 'post') ? (
              <Button onClick={() => post.mutate({ input: { id: run.id, version: run.version } })} loading={post.isPending}>
                Post run
              </Button>
            ) : null}
            {run.status === 'trial' || run.interrupted ? (
              <Button variant="light" color="red" onClick={() => discard.mutate({ input: { id: run.id, version: run.version, reason: 'Discarded after review' } })}>
                Discard
              </Button>
            ) : null}
          </>
        }
      />
      <ApprovalBanner entity="billingRun" entityId={run.id} />
      {working && run.jobId ? <JobProgress jobId={run.jobId} hideResult /> : null}
      {run.interrupted ? (
        <Alert color="red" mb="md" title="The run stopped before it finished">
          Nothing was posted. Discard it and start again{run.status === 'posting' ? ', or post again' : ''}.
        </Alert>
      ) : null}
      <Group mb="sm" gap="xs">
        <Button size="xs" variant={!exception ? 'filled' : 'default'} onClick={() => setParams({})}>
          All bills
        </Button>
        {exceptions.map((e) => (
          <Button key={e.code} size="xs" variant={exception === e.code ? 'filled' : 'default'} onClick={() => setParams({ exception: e.code })}>
            {BILL_EXCEPTIONS[e.code].split(':')[0]} ({e.count})
          </Button>
        ))}
      </Group>
      <DataTable
        label="Bills of the run"
        rows={bills.rows}
        loading={bills.query.isLoading}
        rowKey="id"
        onOpen={(b) => navigate(`${BILLING_PATH}/bills/${b.id}`)}
        empty={<EmptyState title={working ? 'Drafting…' : 'No bills here'} description="Bills appear as the trial drafts them." />}
        columns={[
          { key: 'accountNo', header: 'Account' },
          { key: 'accountName', header: 'Name' },
          { key: 'billNo', header: 'Number', render: (b) => b.billNo ?? '—' },
          { key: 'status', header: 'Status', render: (b) => <StatusBadge status={b.status} /> },
          { key: 'consumption', header: 'Units', align: 'right' },
          { key: 'total', header: 'Total', align: 'right', render: (b) => formatAmount(b.total) },
          { key: 'exceptions', header: 'Exceptions', render: (b) => b.exceptions.map((e) => <Badge key={e.code} size="xs" color="orange" mr={4}>{e.code}</Badge>) },
        ]}
        totalLabel={bills.first ? `${showingOf(bills.rows.length, bills.total, 'bill')} · ${formatAmount(bills.first.totals.amount)}` : null}
        footer={<LoadMore query={bills.query} />}
      />
    </>
  );
}

export function BillsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const bills = useRpcPages(billsList, { search: search || undefined });
  return (
    <>
      <PageHeader title="Bills and credit notes" />
      <TextInput label="Search" value={search} onChange={(e) => setParams(e.currentTarget.value ? { search: e.currentTarget.value } : {}, { replace: true })} mb="md" maw={360} />
      <DataTable
        label="Bills"
        rows={bills.rows}
        loading={bills.query.isLoading}
        rowKey="id"
        onOpen={(b) => navigate(`${BILLING_PATH}/bills/${b.id}`)}
        empty={<EmptyState title="No bills" description="Bills appear once a billing run has drafted them." />}
        columns={[
          { key: 'billNo', header: 'Number', render: (b) => b.billNo ?? 'draft' },
          { key: 'kind', header: 'Kind', render: (b) => (b.kind === 'bill' ? 'Bill' : 'Credit note') },
          { key: 'accountNo', header: 'Account' },
          { key: 'accountName', header: 'Name' },
          { key: 'periodEnd', header: 'Period end' },
          { key: 'status', header: 'Status', render: (b) => <StatusBadge status={b.status} /> },
          { key: 'total', header: 'Total', align: 'right', render: (b) => formatAmount(b.total) },
          { key: 'open', header: 'Open', align: 'right', render: (b) => formatAmount(b.open) },
        ]}
        totalLabel={bills.first ? `${showingOf(bills.rows.length, bills.total, 'bill')} · ${formatAmount(bills.first.totals.amount)}` : null}
        footer={<LoadMore query={bills.query} />}
      />
    </>
  );
}

export function BillDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const data = useRpcQuery(billsGet, { id });
  const rebill = useRpcMutation(billsCancelRebill, { notifyErrors: false });
  const [rebilling, setRebilling] = useState(false);
  const [reason, setReason] = useState('');
  const [consumption, setConsumption] = useState('');
  if (data.error) return <ErrorAlert error={data.error} />;
  if (!data.data) return null;
  const { bill, related, history, branchName } = data.data;
  return (
    <>
      <PrintStyles />
      <div className="plug1-no-print">
        <PageHeader
          title={`${bill.kind === 'bill' ? 'Bill' : 'Credit note'} ${bill.billNo ?? '(draft)'}`}
          badge={<StatusBadge status={bill.status} />}
          subtitle={`${bill.accountNo} ${bill.accountName}`}
          actions={
            <>
              <Button variant="default" onClick={() => void printNow()}>
                Print / PDF
              </Button>
              {bill.kind === 'bill' && bill.status === 'posted' && session.can('energy.billing', 'void') ? (
                <Button color="red" variant="light" onClick={() => setRebilling(true)}>
                  Cancel and rebill
                </Button>
              ) : null}
            </>
          }
        />
        <ApprovalBanner entity="bill" entityId={bill.id} />
        {related.length ? (
          <Group mb="md" gap="xs">
            <Text size="sm">Linked:</Text>
            {related.map((r) => (
              <Button key={r.id} size="xs" variant="default" component={Link} to={`${BILLING_PATH}/bills/${r.id}`}>
                {r.kind === 'credit_note' ? 'Credit note' : 'Bill'} {r.billNo}
              </Button>
            ))}
          </Group>
        ) : null}
      </div>
      <Tabs defaultValue="bill">
        <Tabs.List className="plug1-no-print">
          <Tabs.Tab value="bill">Document</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="bill" pt="md">
          <PrintArea label="Bill document" width={760}>
            <Paper withBorder p="lg">
              <Group justify="space-between" align="flex-start">
                <div>
                  <Text fw={700} fz="lg">
                    {branchName}
                  </Text>
                  <Text>{bill.kind === 'bill' ? 'Tax invoice' : 'Credit note'} {bill.billNo}</Text>
                  <Text size="sm">
                    Bill date {bill.issueDate ?? '—'} · due {bill.dueDate ?? '—'}
                  </Text>
                </div>
                <div style={{ textAlign: 'right' }}>
                  <Text fw={600}>{bill.accountName}</Text>
                  <Text size="sm">{bill.address}</Text>
                  <Text size="sm">Account {bill.accountNo} · {bill.category}</Text>
                </div>
              </Group>
              <SimpleGrid cols={3} mt="md">
                <Text size="sm">Period {bill.periodStart} – {bill.periodEnd}{bill.billedFrom !== bill.periodStart || bill.billedTo !== bill.periodEnd ? ` (billed ${bill.billedFrom} – ${bill.billedTo})` : ''}</Text>
                <Text size="sm">Reads {bill.previousReadValue ?? '—'} ({bill.previousReadDate ?? '—'}) → {bill.currentReadValue ?? '—'} ({bill.currentReadDate ?? '—'}){bill.estimated ? ' estimated' : ''}</Text>
                <Text size="sm" ta="right">Consumption {bill.consumption}</Text>
              </SimpleGrid>
              <Table mt="md" aria-label="Charges">
                <Table.Tbody>
                  {bill.lines.map((l, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{l.label}</Table.Td>
                      <Table.Td ta="right">{formatAmount(l.amount)}</Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr fw={700}>
                    <Table.Td>Total (tax {formatAmount(bill.tax)})</Table.Td>
                    <Table.Td ta="right">{formatAmount(bill.total)}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              <Text fw={600} mt="md" size="sm">
                Consumption history
              </Text>
              <Table fz="xs" aria-label="Consumption history">
                <Table.Tbody>
                  {history.map((h) => (
                    <Table.Tr key={`${h.periodEnd}-${h.billNo}`}>
                      <Table.Td>{h.periodEnd}</Table.Td>
                      <Table.Td>{h.billNo}</Table.Td>
                      <Table.Td ta="right">{h.consumption}{h.estimated ? ' (est.)' : ''}</Table.Td>
                      <Table.Td ta="right">{formatAmount(h.total)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {bill.reason ? <Text size="sm" mt="sm">Reason: {bill.reason}</Text> : null}
              {bill.postedAt ? <Text size="xs" c="dimmed" mt="sm">Posted <DateText value={bill.postedAt} /></Text> : null}
            </Paper>
          </PrintArea>
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail entity="bill" entityId={bill.id} />
        </Tabs.Panel>
      </Tabs>
      {rebilling ? (
        <Modal opened onClose={() => setRebilling(false)} title="Cancel and rebill">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              rebill.mutate(
                { input: { id: bill.id, version: bill.version, reason, ...(consumption ? { consumption: Number(consumption) } : {}) } },
                { onSuccess: () => setRebilling(false) },
              );
            }}
          >
            <Stack>
              <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
              <TextInput label="Consumption" description="Leave empty to recompute from the readings as they stand" value={consumption} onChange={(e) => setConsumption(e.currentTarget.value)} />
              {rebill.error ? (rebill.error instanceof RpcError && rebill.error.code === 'APPROVAL_REQUIRED' ? <Alert color="yellow">Sent for approval: a supervisor must approve the cancel/rebill.</Alert> : <ErrorAlert error={rebill.error} />) : null}
              <Button type="submit" loading={rebill.isPending}>
                Request cancel and rebill
              </Button>
            </Stack>
          </form>
        </Modal>
      ) : null}
    </>
  );
}

export function TariffsPage() {
  const tariffs = useRpcQuery(tariffsList, {});
  const session = useSession();
  const navigate = useNavigate();
  // Once HQ sends tariffs it owns all of them: revisions come with the next sync, not from this form.
  const fromHq = useHqOwnership('tariff').ownsAll;
  return (
    <>
      <PageHeader
        title="Tariffs"
        subtitle={
          fromHq
            ? 'Every version, newest first. Tariffs come from HQ: a new version arrives with the next sync and bills use it from its effective date.'
            : 'Every version, newest first. Creating or revising a tariff needs a supervisor’s approval.'
        }
        badge={fromHq ? <Badge variant="light">Owned by HQ</Badge> : undefined}
        actions={
          session.can('energy.billing', 'create') && !fromHq ? (
            <Button component={Link} to={`${BILLING_PATH}/tariffs/new`}>
              New tariff
            </Button>
          ) : null
        }
      />
      <DataTable
        label="Tariffs"
        rows={tariffs.data ?? []}
        loading={tariffs.isLoading}
        rowKey="id"
        onOpen={session.can('energy.billing', 'edit') && !fromHq ? (t) => navigate(`${BILLING_PATH}/tariffs/new?revise=${encodeURIComponent(t.code)}`) : undefined}
        empty={<EmptyState title="No tariffs yet" description="A billing clerk creates one per category; a supervisor approves it." />}
        columns={[
          { key: 'code', header: 'Code' },
          { key: 'name', header: 'Name' },
          { key: 'kind', header: 'Kind' },
          { key: 'category', header: 'Category' },
          { key: 'effectiveFrom', header: 'From', render: (t) => <>{t.effectiveFrom} {t.current ? <Badge size="xs">current</Badge> : null}</> },
          { key: 'fixedCharge', header: 'Fixed', align: 'right', render: (t) => formatAmount(t.fixedCharge) },
          { key: 'tiers', header: 'Tiers', render: (t) => t.tiers.map((x) => `${x.upTo ?? '∞'} @ ${x.rate / 100}`).join(' · ') },
          { key: 'pricingMode', header: 'Mode' },
        ]}
      />
    </>
  );
}
