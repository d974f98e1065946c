import { Alert, Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { TENDERS, type Tender } from '../../../../src-shared/contracts/energy/counter';
import {
  HOLDING_STATUSES,
  REDEMPTION_REASONS,
  holdingsExtend,
  holdingsFreeze,
  holdingsGet,
  holdingsList,
  holdingsRefund,
  holdingsTransfer,
  receiptGet,
  redemptionsList,
  typesList,
  type Holding,
  type HoldingStatus,
  type Redemption,
} from '../../../../src-shared/contracts/home-services/packages';
import { useRpcPages, useRpcQuery, useSession } from '../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, LoadMore, MoneyText, PageHeader, StatusBadge } from '../../../components';
import { ReprintDialog, formatAmount } from '../../energy/counter/printing';
import { SaleReceiptView } from './CounterPage';
import { CustomerLookup } from './CustomerLookup';
import { FunctionTabs } from './FunctionTabs';
import { GatedActionDialog, PKG_BASE, useBranchDate, useUrlFilters } from './shared';

const HOLDING_ENTITY = 'packageHolding';

export const holdingStatus = (h: Holding) =>
  h.frozenNow && h.status === 'active' ? <StatusBadge status="pending" label="Frozen" /> : <StatusBadge status={h.status === 'used_up' ? 'closed' : h.status} label={HOLDING_STATUSES[h.status]} />;

const sessionsText = (h: Holding) => (h.status === 'active' ? `${h.sessionsRemaining} of ${h.sessionsTotal} left` : `${h.sessionsUsed} of ${h.sessionsTotal} used`);

/** Packages held by customers: URL filters (status, package, customer, search), totals of what is still owed in service. */
export function HoldingsListPage() {
  const navigate = useNavigate();
  const session = useSession();
  const { values, set } = useUrlFilters(['status', 'packageTypeId', 'customerId', 'search', 'expiringSoon'] as const);
  const dateIn = useBranchDate();
  const types = useRpcQuery(typesList, {});
  const filters = {
    ...(values.status ? { status: values.status as HoldingStatus } : {}),
    ...(values.packageTypeId ? { packageTypeId: values.packageTypeId } : {}),
    ...(values.customerId ? { customerId: values.customerId } : {}),
    ...(values.search ? { search: values.search } : {}),
    ...(values.expiringSoon ? { expiringBy: dateIn(14) } : {}),
  };
  const { query, rows, first, total } = useRpcPages(holdingsList, filters);
  return (
    <>
      <PageHeader
        title="Service packages"
        subtitle="What customers hold, what is left and until when."
        actions={
          session.can('homeServices.packages', 'create') ? (
            <Button component={Link} to={`${PKG_BASE}/counter`}>
              Sell a package
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      <Group mb="md" align="flex-end">
        <TextInput label="Search" placeholder="Package no., customer or package" value={values.search} onChange={(e) => set({ search: e.currentTarget.value })} w={260} />
        <Select
          label="Status"
          clearable
          value={values.status || null}
          onChange={(v) => set({ status: v ?? '' })}
          data={Object.entries(HOLDING_STATUSES).map(([value, label]) => ({ value, label }))}
          w={160}
        />
        <Select
          label="Package"
          clearable
          searchable
          value={values.packageTypeId || null}
          onChange={(v) => set({ packageTypeId: v ?? '' })}
          data={(types.data ?? []).map((t) => ({ value: t.id, label: `${t.code} ${t.name}` }))}
          w={240}
        />
        <Button variant={values.expiringSoon ? 'filled' : 'default'} onClick={() => set({ expiringSoon: values.expiringSoon ? '' : '1', status: values.expiringSoon ? values.status : 'active' })}>
          Expiring within 14 days
        </Button>
      </Group>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable
        label="Packages held"
        rows={rows}
        loading={query.isLoading}
        rowKey="id"
        onOpen={(h) => navigate(`${PKG_BASE}/holdings/${h.id}`)}
        empty={
          <EmptyState
            title="No packages here"
            description={Object.keys(filters).length ? 'Nothing matches these filters; clear one to see more.' : 'Packages appear once they are sold at the counter.'}
            action={
              session.can('homeServices.packages', 'create') ? (
                <Button component={Link} to={`${PKG_BASE}/counter`} variant="light">
                  Sell the first package
                </Button>
              ) : null
            }
          />
        }
        columns={[
          { key: 'holdingNo', header: 'No.' },
          { key: 'name', header: 'Package' },
          { key: 'customerName', header: 'Customer', render: (h) => `${h.customerNo} ${h.customerName}` },
          { key: 'status', header: 'Status', render: holdingStatus },
          { key: 'sessions', header: 'Sessions', render: sessionsText },
          { key: 'expiresOn', header: 'Last day', render: (h) => h.expiresOn ?? 'from first use' },
          { key: 'liabilityMinor', header: 'Outstanding', align: 'right', render: (h) => <MoneyText value={h.liabilityMinor} /> },
        ]}
        totalLabel={
          first ? (
            <>
              {total} packages · {first.totals.sessionsRemaining} sessions outstanding · <MoneyText value={first.totals.liabilityMinor} /> owed in service
            </>
          ) : null
        }
        footer={<LoadMore query={query} />}
      />
    </>
  );
}

function FreezeDialog({ holding, onClose }: { holding: Holding; onClose(): void }) {
  const dateIn = useBranchDate();
  const [from, setFrom] = useState(dateIn(0));
  const [until, setUntil] = useState(dateIn(14));
  return (
    <GatedActionDialog
      title={`Freeze ${holding.holdingNo}`}
      contract={holdingsFreeze}
      explain="No sessions can be used while frozen, and the last day moves later by the frozen days. A supervisor approves it."
      buildInput={(reason) => (from && until ? { id: holding.id, version: holding.version, from, until, reason } : null)}
      submitLabel="Ask for approval"
      onClose={onClose}
    >
      <Group grow>
        <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} autoFocus />
        <TextInput label="Until" type="date" value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
      </Group>
    </GatedActionDialog>
  );
}

function ExtendDialog({ holding, onClose }: { holding: Holding; onClose(): void }) {
  const [date, setDate] = useState(holding.expiresOn ?? '');
  return (
    <GatedActionDialog
      title={`Extend ${holding.holdingNo}`}
      contract={holdingsExtend}
      explain={`The last day is now ${holding.expiresOn ?? 'not set'}. A supervisor approves the new one.`}
      buildInput={(reason) => (date ? { id: holding.id, version: holding.version, expiresOn: date, reason } : null)}
      submitLabel="Ask for approval"
      onClose={onClose}
    >
      <TextInput label="New last day" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} autoFocus />
    </GatedActionDialog>
  );
}

function RefundDialog({ holding, quote, onClose }: { holding: Holding; quote: number; onClose(): void }) {
  const [tender, setTender] = useState<Tender>('cash');
  return (
    <GatedActionDialog
      title={`Refund ${holding.holdingNo}`}
      contract={holdingsRefund}
      explain={
        <>
          {holding.sessionsUsed} of {holding.sessionsTotal} sessions used: <b>{formatAmount(quote)}</b> goes back to the customer, paid out of your open shift once a
          supervisor approves.
        </>
      }
      buildInput={(reason) => ({ id: holding.id, version: holding.version, tender, reason })}
      submitLabel="Ask for approval"
      onClose={onClose}
    >
      <Select label="Pay back by" value={tender} onChange={(v) => v && setTender(v as Tender)} data={(Object.keys(TENDERS) as Tender[]).map((t) => ({ value: t, label: TENDERS[t].label }))} />
    </GatedActionDialog>
  );
}

function TransferDialog({ holding, onClose }: { holding: Holding; onClose(): void }) {
  const [to, setTo] = useState<{ customerId: string; name: string } | null>(null);
  return (
    <GatedActionDialog
      title={`Transfer ${holding.holdingNo}`}
      contract={holdingsTransfer}
      explain={`The ${holding.sessionsRemaining} sessions left move to another customer, with the same services and last day. A supervisor approves it.`}
      buildInput={(reason) => (to ? { id: holding.id, version: holding.version, toCustomerId: to.customerId, reason } : null)}
      submitLabel="Ask for approval"
      onClose={onClose}
    >
      <CustomerLookup onCustomer={(hit) => setTo(hit && hit.customerId !== holding.customerId ? { customerId: hit.customerId, name: hit.name } : null)} />
      {to ? <Text size="sm">To {to.name}</Text> : null}
    </GatedActionDialog>
  );
}

export function RedemptionTable({ rows, showCustomer = false }: { rows: readonly Redemption[]; showCustomer?: boolean }) {
  if (rows.length === 0) return <EmptyState title="No redemptions yet" description="A session is redeemed when a visit of a covered service is checked out." />;
  return (
    <Table fz="sm" aria-label="Redemptions" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Service</Table.Th>
          <Table.Th>Visit</Table.Th>
          {showCustomer ? <Table.Th>Customer</Table.Th> : null}
          <Table.Th>Package</Table.Th>
          <Table.Th ta="right">Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <DateText value={r.at} />
            </Table.Td>
            <Table.Td>
              {/* The badge answers "was a session used?"; the line under it says why (or why not). */}
              {r.outcome === 'redeemed' ? (
                <Stack gap={2}>
                  <StatusBadge status="completed" label={r.sessions === 1 ? 'Session used' : `${r.sessions} sessions used`} />
                  <Text size="xs" c="dimmed">
                    {REDEMPTION_REASONS[r.reason]}
                  </Text>
                </Stack>
              ) : (
                <Stack gap={2}>
                  <StatusBadge status="rejected" label="Refused" />
                  <Text size="xs" c="red">
                    {REDEMPTION_REASONS[r.reason]}: {r.message}
                  </Text>
                </Stack>
              )}
            </Table.Td>
            <Table.Td>{r.serviceName}</Table.Td>
            <Table.Td>{r.appointmentNumber}</Table.Td>
            {showCustomer ? (
              <Table.Td>
                <Anchor component={Link} to={`${PKG_BASE}/customers/${r.customerId}`} size="sm">
                  {r.customerNo} {r.customerName}
                </Anchor>
              </Table.Td>
            ) : null}
            <Table.Td>
              {r.holdingId ? (
                <Anchor component={Link} to={`${PKG_BASE}/holdings/${r.holdingId}`} size="sm">
                  {r.holdingNo} {r.packageName}
                </Anchor>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td ta="right">
              <MoneyText value={r.valueMinor} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The sale's receipt again, as printed at the counter (a customer who lost it, a copy for the file). */
function SaleReprintDialog({ holdingId, onClose }: { holdingId: string; onClose(): void }) {
  const receipt = useRpcQuery(receiptGet, { holdingId });
  return (
    <ReprintDialog title="Sale receipt" error={receipt.error} onClose={onClose}>
      {receipt.data ? <SaleReceiptView receipt={receipt.data} /> : null}
    </ReprintDialog>
  );
}

/** One package a customer holds: its state, the actions it allows (each approved by a supervisor), its redemptions and its audit trail. */
export function HoldingDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const data = useRpcQuery(holdingsGet, { id });
  const [dialog, setDialog] = useState<'freeze' | 'extend' | 'refund' | 'transfer' | 'receipt' | null>(null);
  if (data.error) return <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />;
  if (!data.data) return null;
  const { holding: h, redemptions, refundQuote } = data.data;
  const canAsk = session.can('homeServices.packages', 'submit');
  const inUse = h.status === 'active';
  return (
    <>
      <PageHeader
        title={`${h.holdingNo} · ${h.name}`}
        badge={holdingStatus(h)}
        subtitle={
          <>
            <Anchor component={Link} to={`${PKG_BASE}/customers/${h.customerId}`} size="sm">
              {h.customerNo} {h.customerName}
            </Anchor>{' '}
            · {sessionsText(h)} · last day {h.expiresOn ?? 'counted from the first session'}
          </>
        }
        actions={
          <>
            {h.source === 'sale' ? (
              <Button variant="default" onClick={() => setDialog('receipt')}>
                Reprint receipt
              </Button>
            ) : null}
            {canAsk ? (
              <>
                {inUse && !h.frozenNow ? (
                  <Button variant="default" onClick={() => setDialog('freeze')}>
                    Freeze
                  </Button>
                ) : null}
                {(inUse || h.status === 'expired') && h.expiresOn ? (
                  <Button variant="default" onClick={() => setDialog('extend')}>
                    Extend
                  </Button>
                ) : null}
                {inUse && h.sessionsRemaining > 0 ? (
                  <Button variant="default" onClick={() => setDialog('transfer')}>
                    Transfer
                  </Button>
                ) : null}
                {inUse ? (
                  <Button variant="light" color="red" onClick={() => setDialog('refund')}>
                    Refund {formatAmount(refundQuote)}
                  </Button>
                ) : null}
              </>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity={HOLDING_ENTITY} entityId={h.id} />
      {h.frozenNow ? (
        <Alert color="yellow" mb="md" title={`Frozen until ${h.frozenUntil}`}>
          Visits in this time do not use this package.
        </Alert>
      ) : null}
      <Tabs defaultValue="details">
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="redemptions">Redemptions ({redemptions.length})</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Table fz="sm" aria-label="Balances">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Covers</Table.Th>
                    <Table.Th ta="right">Sessions</Table.Th>
                    <Table.Th ta="right">Used</Table.Th>
                    <Table.Th ta="right">Left</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {h.balances.map((b) => (
                    <Table.Tr key={b.id}>
                      <Table.Td>{b.label}</Table.Td>
                      <Table.Td ta="right">{b.sessionsTotal}</Table.Td>
                      <Table.Td ta="right">{b.sessionsUsed}</Table.Td>
                      <Table.Td ta="right">{b.remaining}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="md">
              <Stack gap={4}>
                <Text size="sm">
                  Price <MoneyText value={h.priceMinor} /> · outstanding <MoneyText value={h.liabilityMinor} />
                </Text>
                <Text size="sm">
                  {h.source === 'sale' ? (
                    <>
                      Sold <DateText value={h.purchasedAt} /> · receipt {h.receiptNo}
                    </>
                  ) : (
                    <>
                      Received by transfer <DateText value={h.purchasedAt} />
                      {h.transferredFromId ? (
                        <>
                          {' '}
                          from{' '}
                          <Anchor component={Link} to={`${PKG_BASE}/holdings/${h.transferredFromId}`} size="sm">
                            the original package
                          </Anchor>
                        </>
                      ) : null}
                    </>
                  )}
                </Text>
                {h.firstUsedOn ? <Text size="sm">First used {h.firstUsedOn}</Text> : null}
                {h.refundMinor !== null ? (
                  <Text size="sm">
                    Refunded <MoneyText value={h.refundMinor} />
                  </Text>
                ) : null}
                {h.breakageSessions !== null ? (
                  <Text size="sm">
                    Expired with {h.breakageSessions} sessions unused (<MoneyText value={h.breakageMinor} />)
                  </Text>
                ) : null}
                {h.transferredToId ? (
                  <Anchor component={Link} to={`${PKG_BASE}/holdings/${h.transferredToId}`} size="sm">
                    Continues as the transferred package
                  </Anchor>
                ) : null}
              </Stack>
            </Paper>
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="redemptions">
          <RedemptionTable rows={redemptions} />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity={HOLDING_ENTITY} entityId={h.id} />
        </Tabs.Panel>
      </Tabs>
      {dialog === 'freeze' ? <FreezeDialog holding={h} onClose={() => setDialog(null)} /> : null}
      {dialog === 'extend' ? <ExtendDialog holding={h} onClose={() => setDialog(null)} /> : null}
      {dialog === 'refund' ? <RefundDialog holding={h} quote={refundQuote} onClose={() => setDialog(null)} /> : null}
      {dialog === 'transfer' ? <TransferDialog holding={h} onClose={() => setDialog(null)} /> : null}
      {dialog === 'receipt' ? <SaleReprintDialog holdingId={h.id} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

/** Every redemption and refusal, newest first, filtered by outcome in the URL. */
export function RedemptionsPage() {
  const { values, set } = useUrlFilters(['outcome', 'from', 'to'] as const);
  const filters = {
    ...(values.outcome ? { outcome: values.outcome as 'redeemed' | 'refused' } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
  };
  const { query, rows, total } = useRpcPages(redemptionsList, filters);
  return (
    <>
      <PageHeader title="Redemptions" subtitle="Sessions used by visits, late cancellations and no-shows — and redemptions refused, with why." />
      <FunctionTabs />
      <Group mb="md" align="flex-end">
        <Select
          label="Outcome"
          clearable
          value={values.outcome || null}
          onChange={(v) => set({ outcome: v ?? '' })}
          data={[
            { value: 'redeemed', label: 'Redeemed' },
            { value: 'refused', label: 'Refused' },
          ]}
          w={160}
        />
        <TextInput label="From" type="date" value={values.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        <TextInput label="To" type="date" value={values.to} onChange={(e) => set({ to: e.currentTarget.value })} />
      </Group>
      {query.error ? <ErrorAlert error={query.error} /> : null}
      <Paper withBorder p="xs">
        <RedemptionTable rows={rows} showCustomer />
      </Paper>
      <Group justify="space-between" mt="xs">
        <Text size="sm" c="dimmed">
          {total} in all
        </Text>
        <LoadMore query={query} />
      </Group>
    </>
  );
}
