import { Alert, Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { shiftsCurrent, type Tender } from '../../../../src-shared/contracts/energy/counter';
import type { CustomerHit } from '../../../../src-shared/contracts/home-services/packages';
import {
  BILLING_PERIODS,
  DUNNING_STAGES,
  EVENT_KINDS,
  SUBSCRIPTION_STATUSES,
  plansList,
  subscriptionsCancel,
  subscriptionsChangePlan,
  subscriptionsCreate,
  subscriptionsGet,
  subscriptionsList,
  subscriptionsPause,
  subscriptionsQuoteChange,
  subscriptionsResume,
  subscriptionsUndoCancel,
  type DunningStage,
  type Subscription,
  type SubscriptionStatus,
} from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcMutation, useRpcPages, useRpcQuery, useSession } from '../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, LoadMore, MoneyText, PageHeader, StatusBadge } from '../../../components';
import { formatAmount } from '../../energy/counter/printing';
import { CustomerLookup } from '../packages/CustomerLookup';
import { SUB_BASE, TenderButtons, lastDayOf, newKey, periodRange, useBranchDate, useUrlFilters } from '../packages/shared';
import { FunctionTabs } from './FunctionTabs';
import { InvoiceTable } from './InvoicesPages';

const SUBSCRIPTION_ENTITY = 'subscription';

export const statusBadge = (s: Pick<Subscription, 'status' | 'dunningStage'>) => (
  <Group gap={4} wrap="nowrap">
    <StatusBadge status={s.status === 'suspended' ? 'failed' : s.status === 'paused' ? 'pending' : s.status} label={SUBSCRIPTION_STATUSES[s.status]} />
    {/* Suspension and cancellation already show as the status; only the two earlier steps need a badge of their own. */}
    {s.dunningStage === 'reminder' || s.dunningStage === 'warning' ? <Badge color={s.dunningStage === 'reminder' ? 'yellow' : 'red'}>{s.dunningStage === 'reminder' ? 'Reminder sent' : 'Warned'}</Badge> : null}
  </Group>
);

const periodText = (s: Subscription) => periodRange(s.periodStart, s.periodEnd);

export function SubscriptionsListPage() {
  const navigate = useNavigate();
  const session = useSession();
  const { values, set } = useUrlFilters(['status', 'planId', 'customerId', 'dunningStage', 'search'] as const);
  const plans = useRpcQuery(plansList, { includeRetired: true });
  const filters = {
    ...(values.status ? { status: values.status as SubscriptionStatus } : {}),
    ...(values.planId ? { planId: values.planId } : {}),
    ...(values.customerId ? { customerId: values.customerId } : {}),
    ...(values.dunningStage ? { dunningStage: values.dunningStage as DunningStage } : {}),
    ...(values.search ? { search: values.search } : {}),
  };
  const { query, rows, first, total } = useRpcPages(subscriptionsList, filters);
  return (
    <>
      <PageHeader
        title="Subscriptions"
        subtitle="Plans billed in advance, with included visits; overdue ones walk the dunning ladder."
        actions={
          <>
            {session.can('homeServices.subscriptions', 'create') ? (
              <Button component={Link} to={`${SUB_BASE}/new`}>
                Sign up a customer
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <Group mb="md" align="flex-end">
        <TextInput label="Search" placeholder="Subscription, customer" value={values.search} onChange={(e) => set({ search: e.currentTarget.value })} w={220} />
        <Select label="Status" clearable value={values.status || null} onChange={(v) => set({ status: v ?? '' })} data={Object.entries(SUBSCRIPTION_STATUSES).map(([value, label]) => ({ value, label }))} w={150} />
        <Select label="Plan" clearable value={values.planId || null} onChange={(v) => set({ planId: v ?? '' })} data={(plans.data ?? []).map((p) => ({ value: p.id, label: p.name }))} w={200} />
        <Select label="Dunning" clearable value={values.dunningStage || null} onChange={(v) => set({ dunningStage: v ?? '' })} data={Object.entries(DUNNING_STAGES).map(([value, label]) => ({ value, label }))} w={220} />
      </Group>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable
        label="Subscriptions"
        rows={rows}
        loading={query.isLoading}
        rowKey="id"
        onOpen={(s) => navigate(`${SUB_BASE}/${s.id}`)}
        empty={<EmptyState title="No subscriptions here" description={Object.keys(filters).length ? 'Nothing matches these filters.' : 'Sign up the first customer to a plan at the counter.'} />}
        columns={[
          { key: 'subscriptionNo', header: 'No.' },
          { key: 'customerName', header: 'Customer', render: (s) => `${s.customerNo} ${s.customerName}` },
          { key: 'planName', header: 'Plan' },
          { key: 'status', header: 'Status', render: statusBadge },
          { key: 'period', header: 'Current period', render: periodText },
          { key: 'visits', header: 'Visits', render: (s) => `${s.visitsUsed} of ${s.includedVisits}` },
          // Paused and cancelled subscriptions bring in nothing: the total leaves them out, and so does the row.
          { key: 'mrrMinor', header: 'MRR', align: 'right', render: (s) => (s.status === 'active' || s.status === 'suspended' ? <MoneyText value={s.mrrMinor} /> : '—') },
          { key: 'overdueMinor', header: 'Overdue', align: 'right', render: (s) => (s.overdueMinor ? <MoneyText value={s.overdueMinor} c="red" /> : '—') },
        ]}
        totalLabel={
          first ? (
            <>
              {total} subscriptions · MRR <MoneyText value={first.totals.mrrMinor} /> · overdue <MoneyText value={first.totals.overdueMinor} />
            </>
          ) : null
        }
        footer={<LoadMore query={query} />}
      />
    </>
  );
}

/** Signing a customer up happens at the counter: the first period is invoiced now and may be paid at once. */
export function SignUpPage() {
  const navigate = useNavigate();
  const shift = useRpcQuery(shiftsCurrent, {});
  const plans = useRpcQuery(plansList, {});
  const dateIn = useBranchDate();
  const create = useRpcMutation(subscriptionsCreate, { notifyErrors: false, invalidate: ['homeServices.subscriptions.', 'energy.counter.'] });
  const [customer, setCustomer] = useState<CustomerHit | null>(null);
  const [planId, setPlanId] = useState<string | null>(null);
  const [startOn, setStartOn] = useState(dateIn(0));
  const [cycleDay, setCycleDay] = useState('');
  const [payNow, setPayNow] = useState<'yes' | 'no'>('yes');
  const [tender, setTender] = useState<Tender>('card');
  const [reference, setReference] = useState('');
  const key = useRef(newKey());
  const plan = plans.data?.find((p) => p.id === planId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!customer || !planId) return;
    create.mutate(
      {
        input: {
          customerId: customer.customerId,
          planId,
          ...(startOn ? { startOn } : {}),
          ...(cycleDay ? { billCycleDay: Number(cycleDay) } : {}),
          ...(payNow === 'yes' ? { payment: { tender, ...(reference ? { reference } : {}) } } : {}),
        },
        meta: { idempotencyKey: key.current },
      },
      { onSuccess: (r) => navigate(`${SUB_BASE}/${r.subscription.id}`) },
    );
  };
  return (
    <>
      <PageHeader title="Sign up a customer" subtitle="The first period is billed in advance; a bill-cycle day other than the start day prorates it by days." />
      <FunctionTabs />
      {shift.data && !shift.data.shift ? (
        <Alert color="yellow" mb="md" title="Open your cashier shift first">
          A sign-up is a counter sale.{' '}
          <Anchor component={Link} to="/energy/counter">
            Open a shift
          </Anchor>
          .
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack>
          <CustomerLookup onCustomer={setCustomer} />
          {customer ? (
            <Paper withBorder p="sm" aria-label="Customer card">
              <Text fw={600}>
                {customer.customerNo} · {customer.name}
              </Text>
              <Text size="sm" c="dimmed">
                {customer.address}
              </Text>
            </Paper>
          ) : null}
        </Stack>
        <form onSubmit={submit}>
          <Stack>
            <Select
              label="Plan"
              value={planId}
              onChange={setPlanId}
              data={(plans.data ?? []).filter((p) => p.current).map((p) => ({ value: p.id, label: `${p.name} · ${formatAmount(p.current!.priceMinor)} ${BILLING_PERIODS[p.current!.billingPeriod].toLowerCase()}` }))}
              description={plan?.current ? `${plan.current.includedVisits} visits included per period: ${plan.current.services.map((s) => s.name).join(', ')}` : undefined}
            />
            <Group grow>
              <TextInput label="Start on" type="date" value={startOn} onChange={(e) => setStartOn(e.currentTarget.value)} />
              <TextInput label="Bill-cycle day" value={cycleDay} onChange={(e) => setCycleDay(e.currentTarget.value)} description="Empty: the start day" inputMode="numeric" />
            </Group>
            <SegmentedControl
              value={payNow}
              onChange={(v) => setPayNow(v as 'yes' | 'no')}
              data={[
                { value: 'yes', label: 'Pays the first invoice now' },
                { value: 'no', label: 'Pays later' },
              ]}
            />
            {payNow === 'yes' ? (
              <>
                <TenderButtons value={tender} onChange={setTender} />
                {tender === 'cheque' || tender === 'transfer' ? <TextInput label="Reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} /> : null}
              </>
            ) : null}
            {create.error ? <ErrorAlert error={create.error} /> : null}
            <Button type="submit" loading={create.isPending} disabled={!customer || !planId}>
              Sign up
            </Button>
          </Stack>
        </form>
      </SimpleGrid>
    </>
  );
}

function ChangePlanDialog({ sub, onClose }: { sub: Subscription; onClose(): void }) {
  const plans = useRpcQuery(plansList, {});
  const [planId, setPlanId] = useState<string | null>(null);
  const quote = useRpcQuery(subscriptionsQuoteChange, { id: sub.id, planId: planId ?? '' }, { enabled: !!planId });
  const change = useRpcMutation(subscriptionsChangePlan, { notifyErrors: false });
  return (
    <Modal opened onClose={onClose} title={`Change the plan of ${sub.subscriptionNo}`}>
      <Stack>
        <Select
          label="New plan"
          value={planId}
          onChange={setPlanId}
          data={(plans.data ?? []).filter((p) => p.id !== sub.planId && p.current).map((p) => ({ value: p.id, label: `${p.name} · ${formatAmount(p.current!.priceMinor)} ${BILLING_PERIODS[p.current!.billingPeriod].toLowerCase()}` }))}
          autoFocus
        />
        {quote.error ? <ErrorAlert error={quote.error} /> : null}
        {quote.data ? (
          quote.data.effective === 'now' ? (
            <Table fz="sm" aria-label="Plan change quote">
              <Table.Tbody>
                {quote.data.lines.map((l) => (
                  <Table.Tr key={l.description}>
                    <Table.Td>{l.description}</Table.Td>
                    <Table.Td ta="right">
                      <MoneyText value={l.amountMinor} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={700}>To pay now (one invoice)</Table.Td>
                  <Table.Td ta="right" fw={700}>
                    <MoneyText value={quote.data.netMinor} />
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm">A downgrade (or a different billing period) starts with the next period, on {quote.data.effectiveOn}: nothing is charged or credited now.</Text>
          )
        ) : null}
        {change.error ? <ErrorAlert error={change.error} /> : null}
        <Button disabled={!quote.data} loading={change.isPending} onClick={() => planId && change.mutate({ input: { id: sub.id, version: sub.version, planId } }, { onSuccess: onClose })}>
          {quote.data?.effective === 'period_end' ? 'Change at the period end' : 'Change now'}
        </Button>
      </Stack>
    </Modal>
  );
}

function PauseDialog({ sub, onClose }: { sub: Subscription; onClose(): void }) {
  const [resumeOn, setResumeOn] = useState('');
  const [reason, setReason] = useState('');
  const pause = useRpcMutation(subscriptionsPause, { notifyErrors: false });
  return (
    <Modal opened onClose={onClose} title={`Pause ${sub.subscriptionNo}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          pause.mutate({ input: { id: sub.id, version: sub.version, ...(resumeOn ? { resumeOn } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Text size="sm">Nothing is billed and no visits are included while paused. On resuming, the current period ends later by the days it was paused.</Text>
          <TextInput label="Resume on" type="date" value={resumeOn} onChange={(e) => setResumeOn(e.currentTarget.value)} description="Optional: the billing job resumes it that day" autoFocus />
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {pause.error ? <ErrorAlert error={pause.error} /> : null}
          <Button type="submit" loading={pause.isPending}>
            Pause from today
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function CancelDialog({ sub, creditNow, onClose }: { sub: Subscription; creditNow: number; onClose(): void }) {
  const [when, setWhen] = useState<'now' | 'period_end'>('period_end');
  const [reason, setReason] = useState('');
  const cancel = useRpcMutation(subscriptionsCancel, { notifyErrors: false });
  return (
    <Modal opened onClose={onClose} title={`Cancel ${sub.subscriptionNo}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          cancel.mutate({ input: { id: sub.id, version: sub.version, when, reason: reason.trim() } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <SegmentedControl
            value={when}
            onChange={(v) => setWhen(v as 'now' | 'period_end')}
            data={[
              { value: 'period_end', label: `At the period end (last day ${lastDayOf(sub.periodEnd)})` },
              { value: 'now', label: 'Now' },
            ]}
          />
          <Text size="sm">{when === 'now' ? `The unused days are credited: ${formatAmount(creditNow)}.` : 'It runs to the end of the period already paid for and is not renewed.'}</Text>
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autoFocus />
          {cancel.error ? <ErrorAlert error={cancel.error} /> : null}
          <Button type="submit" color="red" loading={cancel.isPending}>
            Cancel the subscription
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function SubscriptionDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const data = useRpcQuery(subscriptionsGet, { id });
  const resume = useRpcMutation(subscriptionsResume);
  const keep = useRpcMutation(subscriptionsUndoCancel);
  const [dialog, setDialog] = useState<'change' | 'pause' | 'cancel' | null>(null);
  if (data.error) return <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />;
  if (!data.data) return null;
  const { subscription: s, invoices, events, dunning, visits, cancelNowCreditMinor } = data.data;
  const canEdit = session.can('homeServices.subscriptions', 'edit');
  const blocked = s.dunningStage === 'warning' || s.dunningStage === 'suspended';
  return (
    <>
      <PageHeader
        title={`${s.subscriptionNo} · ${s.planName}`}
        badge={statusBadge(s)}
        subtitle={
          <>
            <Anchor component={Link} to={`/home-services/packages/customers/${s.customerId}`} size="sm">
              {s.customerNo} {s.customerName}
            </Anchor>{' '}
            · {formatAmount(s.priceMinor)} {BILLING_PERIODS[s.billingPeriod].toLowerCase()} · period {periodText(s)}
          </>
        }
        actions={
          <>
            {s.overdueMinor > 0 && session.can('homeServices.subscriptions', 'create') ? (
              <Button component={Link} to={`${SUB_BASE}/pay?customer=${encodeURIComponent(s.customerNo)}`}>
                Take payment
              </Button>
            ) : null}
            {canEdit && s.status === 'active' && !blocked ? (
              <Button variant="default" onClick={() => setDialog('change')}>
                Change plan
              </Button>
            ) : null}
            {canEdit && s.status === 'active' ? (
              <Button variant="default" onClick={() => setDialog('pause')}>
                Pause
              </Button>
            ) : null}
            {canEdit && s.status === 'paused' ? (
              <Button variant="default" loading={resume.isPending} onClick={() => resume.mutate({ input: { id: s.id, version: s.version } })}>
                Resume
              </Button>
            ) : null}
            {canEdit && (s.cancelAtPeriodEnd || s.pendingPlanId) ? (
              <Button variant="default" loading={keep.isPending} onClick={() => keep.mutate({ input: { id: s.id, version: s.version } })}>
                Keep as it is
              </Button>
            ) : null}
            {canEdit && s.status !== 'cancelled' ? (
              <Button variant="light" color="red" onClick={() => setDialog('cancel')}>
                Cancel
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity={SUBSCRIPTION_ENTITY} entityId={s.id} />
      {s.status === 'suspended' ? (
        <Alert color="red" mb="md" title="Service suspended for unpaid invoices">
          {formatAmount(s.overdueMinor)} is overdue. A payment at the counter restores the service and stops the dunning ladder.
        </Alert>
      ) : blocked ? (
        <Alert color="orange" mb="md" title="Warned: plan changes are blocked">
          {formatAmount(s.overdueMinor)} is overdue.
        </Alert>
      ) : null}
      {s.cancelAtPeriodEnd ? <Alert mb="md">Cancelled at the period end: the service runs to {lastDayOf(s.periodEnd)} and will not renew.</Alert> : null}
      {s.pendingPlanName ? <Alert mb="md">Changes to {s.pendingPlanName} from {s.periodEnd}, the start of the next period.</Alert> : null}
      {s.status === 'paused' ? (
        <Alert color="yellow" mb="md" title={`Paused since ${s.pausedOn}`}>
          {s.resumeOn ? `Resumes on ${s.resumeOn}.` : 'Resume it when the customer is back.'} The paused days are added to the current period.
        </Alert>
      ) : null}
      <Tabs defaultValue="details">
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="invoices">Invoices ({invoices.length})</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="dunning">Dunning ({dunning.length})</Tabs.Tab>
          <Tabs.Tab value="visits">Visits ({visits.length})</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[
              ['Started', s.startedOn],
              ['Bill-cycle day', String(s.billCycleDay)],
              ['MRR', s.status === 'active' || s.status === 'suspended' ? formatAmount(s.mrrMinor) : `— (${SUBSCRIPTION_STATUSES[s.status].toLowerCase()})`],
              ['Included visits used', `${s.visitsUsed} of ${s.includedVisits} this period`],
              ['Beyond the allowance', s.overAllowance === 'charge' ? 'Charged' : 'Refused'],
              ['Open', formatAmount(s.openMinor)],
              ['Overdue', formatAmount(s.overdueMinor)],
              ['Dunning', DUNNING_STAGES[s.dunningStage]],
            ].map(([label, value]) => (
              <Paper key={label} withBorder p="sm">
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text fw={600}>{value}</Text>
              </Paper>
            ))}
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="invoices">
          <InvoiceTable rows={invoices} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <Table fz="sm" aria-label="Timeline">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Plan</Table.Th>
                <Table.Th ta="right">MRR</Table.Th>
                <Table.Th>Detail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.effectiveOn}</Table.Td>
                  <Table.Td>
                    {EVENT_KINDS[e.kind]}
                    {e.actorName ? ` by ${e.actorName}` : ''}
                  </Table.Td>
                  <Table.Td>{e.planName}</Table.Td>
                  <Table.Td ta="right">
                    {formatAmount(e.mrrBefore)} → {formatAmount(e.mrrAfter)}
                  </Table.Td>
                  <Table.Td>{e.detail}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="dunning">
          {dunning.length === 0 ? (
            <EmptyState title="Never overdue" description="Dunning steps appear here when an invoice passes its due date." />
          ) : (
            <Table fz="sm" aria-label="Dunning steps">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Taken</Table.Th>
                  <Table.Th>Step</Table.Th>
                  <Table.Th>Invoice</Table.Th>
                  <Table.Th ta="right">Overdue then</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {dunning.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <DateText value={d.takenAt} /> {d.takenByName ? `· ${d.takenByName}` : ''}
                    </Table.Td>
                    <Table.Td>{d.step === 'restored' ? 'Restored by payment' : DUNNING_STAGES[d.step]}</Table.Td>
                    <Table.Td>{d.invoiceNo}</Table.Td>
                    <Table.Td ta="right">
                      <MoneyText value={d.overdueMinor} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="visits">
          {visits.length === 0 ? (
            <EmptyState title="No visits counted yet" description={`Completed visits of the plan's services count against the ${s.includedVisits} included per period.`} />
          ) : (
            <Table fz="sm" aria-label="Counted visits">
              <Table.Tbody>
                {visits.map((v) => (
                  <Table.Tr key={v.appointmentId}>
                    <Table.Td>
                      <DateText value={v.at} />
                    </Table.Td>
                    <Table.Td>
                      {v.appointmentNumber} {v.serviceName}
                    </Table.Td>
                    <Table.Td>{v.outcome === 'included' ? `Included (period from ${v.periodStart})` : `Charged on ${v.invoiceNo}`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity={SUBSCRIPTION_ENTITY} entityId={s.id} />
        </Tabs.Panel>
      </Tabs>
      {dialog === 'change' ? <ChangePlanDialog sub={s} onClose={() => setDialog(null)} /> : null}
      {dialog === 'pause' ? <PauseDialog sub={s} onClose={() => setDialog(null)} /> : null}
      {dialog === 'cancel' ? <CancelDialog sub={s} creditNow={cancelNowCreditMinor} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

