import { Alert, Anchor, Badge, Button, Group, Kbd, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { shiftsCurrent, type Tender } from '../../../../src-shared/contracts/energy/counter';
import type { CustomerHit } from '../../../../src-shared/contracts/home-services/packages';
import {
  DUNNING_STAGES,
  DUNNING_STEP_KEYS,
  billingRun,
  customerAccount,
  dunningQueue,
  dunningTakeStep,
  paymentsCreate,
  type DunningStepKey,
  type PaymentReceipt,
} from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, JobProgress, MoneyText, PageHeader } from '../../../components';
import { PrintStyles, formatAmount, parseAmount, printNow } from '../../energy/counter/printing';
import { CustomerLookup } from '../packages/CustomerLookup';
import { SUB_BASE, TENDER_HINT, TenderButtons, newKey, useTenderKeys } from '../packages/shared';
import { FunctionTabs } from './FunctionTabs';
import { PaymentReceiptView, ReceiptDialog } from './PaymentReceipt';
import { statusBadge } from './SubscriptionsPages';

function AccountCard({ customerId, onAmount }: { customerId: string; onAmount(minor: number): void }) {
  const account = useRpcQuery(customerAccount, { customerId });
  const [receiptOf, setReceiptOf] = useState<string | null>(null);
  const a = account.data;
  useEffect(() => {
    if (a) onAmount(a.overdueMinor || a.owedMinor);
  }, [a?.customer.id]); // eslint-disable-line react-hooks/exhaustive-deps -- the suggested amount is set once per customer
  if (account.error) return <ErrorAlert error={account.error} />;
  if (!a) return null;
  return (
    <Paper withBorder p="md" aria-label="Account card">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={700}>
            {a.customer.customerNo} · {a.customer.name}
          </Text>
          <Text size="sm" c="dimmed">
            {a.customer.address}
          </Text>
        </div>
        <Stack gap={0} align="flex-end">
          <Text size="sm">
            Owed <b aria-label="Owed">{formatAmount(a.owedMinor)}</b>
          </Text>
          {a.overdueMinor ? (
            <Text size="sm" c="red">
              Overdue {formatAmount(a.overdueMinor)}
            </Text>
          ) : null}
          {a.creditMinor ? <Text size="sm">In credit {formatAmount(a.creditMinor)}</Text> : null}
        </Stack>
      </Group>
      {a.subscriptions.filter((s) => s.status !== 'cancelled').map((s) => (
        <Group key={s.id} gap="xs" mt="xs">
          <Anchor component={Link} to={`${SUB_BASE}/${s.id}`} size="sm">
            {s.subscriptionNo} {s.planName}
          </Anchor>
          {statusBadge(s)}
        </Group>
      ))}
      {a.openInvoices.length ? (
        <Table mt="xs" fz="sm" aria-label="Open invoices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th ta="right">Open</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.openInvoices.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.invoiceNo}</Table.Td>
                <Table.Td c={i.status === 'overdue' ? 'red' : undefined}>{i.dueDate}</Table.Td>
                <Table.Td ta="right">{formatAmount(i.openMinor)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed" mt="xs">
          Nothing open: a payment now is kept as credit for the next invoice.
        </Text>
      )}
      {a.recentPayments.length ? (
        // "I paid last week": the last receipts are one click away, to read out or reprint.
        <Text size="xs" c="dimmed" mt="xs">
          Last paid:{' '}
          {a.recentPayments.map((p, index) => (
            <span key={p.paymentId}>
              {index > 0 ? ' · ' : ''}
              <Anchor component="button" type="button" size="xs" tabIndex={-1} onClick={() => setReceiptOf(p.paymentId)}>
                <DateText value={p.at} /> {formatAmount(p.amount)} ({p.receiptNo})
              </Anchor>
            </span>
          ))}
        </Text>
      ) : null}
      {receiptOf ? (
        // Keys inside the dialog stay there: Esc closes it without also clearing the counter for the next customer.
        <div onKeyDown={(e) => e.stopPropagation()}>
          <ReceiptDialog paymentId={receiptOf} onClose={() => setReceiptOf(null)} />
        </div>
      ) : null}
    </Paper>
  );
}

/**
 * Taking a payment for subscription invoices, keyboard only: search, Enter for the account card,
 * the amount (the overdue sum, or all that is owed) takes focus, F1–F4 pick the tender, Enter
 * confirms, the receipt prints and says which subscriptions the payment restored.
 */
export function PayPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const current = useRpcQuery(shiftsCurrent, {}, { enabled: session.can('energy.counter', 'view') });
  const [customer, setCustomer] = useState<CustomerHit | null>(null);
  const [lookupKey, setLookupKey] = useState(0);
  const [amount, setAmount] = useState('');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [tender, setTender] = useState<Tender>('cash');
  const [formError, setFormError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<PaymentReceipt | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const attemptKey = useRef(newKey());
  const pay = useRpcMutation(paymentsCreate, { invalidate: ['homeServices.', 'energy.counter.'] });
  const tenderKeys = useTenderKeys((t) => {
    setTender(t);
    attemptKey.current = newKey();
  });

  useEffect(() => {
    if (receipt) void printNow({ silent: true });
  }, [receipt]);

  const nextCustomer = () => {
    setReceipt(null);
    setCustomer(null);
    setAmount('');
    setTendered('');
    setReference('');
    setTender('cash');
    setFormError(null);
    pay.reset();
    attemptKey.current = newKey();
    setLookupKey((k) => k + 1);
  };

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (!customer || pay.isPending) return;
    const amountMinor = parseAmount(amount);
    if (!amountMinor) return setFormError('Enter the amount paid, e.g. 699.00');
    const tenderedMinor = tender === 'cash' && tendered ? parseAmount(tendered) : null;
    if (tender === 'cash' && tendered && (tenderedMinor === null || tenderedMinor < amountMinor)) return setFormError('Tendered must be at least the amount');
    if ((tender === 'cheque' || tender === 'transfer') && !reference.trim()) return setFormError('Enter the cheque or transfer reference');
    setFormError(null);
    pay.mutate(
      {
        input: { customerId: customer.customerId, amount: amountMinor, tender, ...(tenderedMinor ? { tendered: tenderedMinor } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) },
        meta: { idempotencyKey: attemptKey.current },
      },
      { onSuccess: setReceipt },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (customer && tenderKeys(e.key)) {
      e.preventDefault();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      nextCustomer();
    }
  };

  const shift = current.data?.shift ?? null;
  return (
    <div onKeyDown={onKeyDown}>
      <PrintStyles />
      <div className="plug1-no-print">
        <PageHeader
          title="Subscription payment"
          subtitle={shift ? `${session.user.displayName} · shift #${shift.shiftNo}` : 'Payments belong to your cashier shift'}
          badge={shift ? <Badge color="green">Shift open</Badge> : null}
        />
        <FunctionTabs />
      </div>
      {current.data && !shift ? (
        <Alert color="yellow" mb="md" title="Open your cashier shift first">
          <Anchor component={Link} to="/energy/counter">
            Open a shift at the counter
          </Anchor>
          , then come back.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Stack className="plug1-no-print">
          <CustomerLookup key={lookupKey} onCustomer={setCustomer} initialQuery={lookupKey === 0 ? (params.get('customer') ?? undefined) : undefined} />
          {customer ? (
            <AccountCard
              customerId={customer.customerId}
              onAmount={(minor) => {
                setAmount(minor ? (minor / 100).toFixed(2) : '');
                setTimeout(() => amountRef.current?.select(), 0);
              }}
            />
          ) : null}
          {customer && !receipt ? (
            <form onSubmit={confirm}>
              <Stack gap="xs">
                <TenderButtons value={tender} onChange={(t) => { setTender(t); attemptKey.current = newKey(); }} />
                <Group grow align="flex-start">
                  <TextInput
                    ref={amountRef}
                    label="Amount"
                    value={amount}
                    onChange={(e) => {
                      setAmount(e.currentTarget.value);
                      attemptKey.current = newKey();
                    }}
                    error={formError}
                    inputMode="decimal"
                  />
                  {tender === 'cash' ? (
                    <TextInput label="Tendered" value={tendered} onChange={(e) => setTendered(e.currentTarget.value)} inputMode="decimal" description="Optional: for change" />
                  ) : (
                    <TextInput label="Reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} description={tender === 'card' ? 'Optional' : 'Required'} />
                  )}
                </Group>
                {pay.error ? <ErrorAlert error={pay.error} /> : null}
                <Button type="submit" loading={pay.isPending}>
                  Take payment and print <Kbd ml="xs">Enter</Kbd>
                </Button>
                <Text size="xs" c="dimmed">
                  {TENDER_HINT} · Esc next customer
                </Text>
              </Stack>
            </form>
          ) : null}
        </Stack>
        <Stack>
          {receipt ? (
            <>
              <PaymentReceiptView receipt={receipt} />
              <Group className="plug1-no-print">
                <Button variant="default" onClick={() => void printNow()}>
                  Print again / PDF
                </Button>
                <Button onClick={nextCustomer}>
                  Next customer <Kbd ml="xs">Esc</Kbd>
                </Button>
              </Group>
            </>
          ) : (
            <Paper withBorder p="md" className="plug1-no-print">
              <Text size="sm" c="dimmed">
                Payments settle the oldest invoices first. When nothing overdue is left, a subscription on the dunning ladder is restored at once.
              </Text>
            </Paper>
          )}
        </Stack>
      </SimpleGrid>
    </div>
  );
}

const STEP_LABEL: Record<DunningStepKey, string> = { reminder: 'Reminder', warning: 'Warning', suspended: 'Suspend', cancelled: 'Cancel' };

/** Who is due for each step of the dunning ladder (now or soon), with the step one click away. */
export function DunningPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const step = (params.get('step') ?? '') as DunningStepKey | '';
  const dueOnly = params.get('dueOnly') === '1';
  const queue = useRpcQuery(dunningQueue, { ...(step ? { step } : {}), dueOnly });
  const take = useRpcMutation(dunningTakeStep);
  const run = useRpcMutation(billingRun);
  const [jobId, setJobId] = useState<string | null>(null);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const data = queue.data;
  return (
    <>
      <PageHeader
        title="Dunning queue"
        subtitle={data ? `Steps on days after the due date: reminder ${data.offsets.reminder}, warning ${data.offsets.warning}, suspend ${data.offsets.suspended}, cancel ${data.offsets.cancelled}` : undefined}
        actions={
          session.can('homeServices.subscriptions', 'post') ? (
            <Button loading={run.isPending} onClick={() => run.mutate({ input: {} }, { onSuccess: (r) => setJobId(r.jobId) })}>
              Run billing now
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      {jobId ? <JobProgress jobId={jobId} /> : null}
      <Group mb="md">
        <SegmentedControl
          value={step || 'all'}
          onChange={(v) => set({ step: v === 'all' ? '' : v })}
          data={[
            { value: 'all', label: 'Every step' },
            ...DUNNING_STEP_KEYS.map((k) => ({ value: k, label: `${STEP_LABEL[k]}${data ? ` (${data.counts[k]} due)` : ''}` })),
          ]}
        />
        <SegmentedControl
          value={dueOnly ? 'due' : 'all'}
          onChange={(v) => set({ dueOnly: v === 'due' ? '1' : '' })}
          data={[
            { value: 'all', label: 'Everyone overdue' },
            { value: 'due', label: 'Due now' },
          ]}
        />
      </Group>
      {queue.error ? <ErrorAlert error={queue.error} /> : null}
      <DataTable
        label="Dunning queue"
        rows={data?.rows ?? []}
        loading={queue.isLoading}
        rowKey="subscriptionId"
        empty={<EmptyState title="Nobody is overdue" description="Subscriptions appear here when an invoice passes its due date without being paid." />}
        columns={[
          { key: 'subscriptionNo', header: 'Subscription', render: (r) => <Anchor component={Link} to={`${SUB_BASE}/${r.subscriptionId}`} size="sm">{r.subscriptionNo}</Anchor> },
          { key: 'customer', header: 'Customer', render: (r) => `${r.customerNo} ${r.customerName}${r.phone ? ` · ${r.phone}` : ''}` },
          { key: 'stage', header: 'Now at', render: (r) => DUNNING_STAGES[r.stage] },
          { key: 'overdue', header: 'Overdue', align: 'right', render: (r) => <MoneyText value={r.overdueMinor} /> },
          { key: 'days', header: 'Days', align: 'right', render: (r) => r.daysOverdue },
          {
            key: 'next',
            header: 'Next step',
            render: (r) => (r.nextStep ? <Text size="sm" c={r.dueNow ? 'red' : undefined}>{`${STEP_LABEL[r.nextStep]} ${r.dueNow ? 'due' : 'on'} ${r.nextDueOn}`}</Text> : '—'),
          },
          {
            key: 'actions',
            header: '',
            render: (r) => (
              <Group gap={4} wrap="nowrap">
                {r.dueNow && session.can('homeServices.subscriptions', 'edit') ? (
                  <Button size="xs" variant="light" loading={take.isPending && take.variables?.input.id === r.subscriptionId} onClick={() => take.mutate({ input: { id: r.subscriptionId, version: r.version } })}>
                    {STEP_LABEL[r.nextStep!]} now
                  </Button>
                ) : null}
                {session.can('homeServices.subscriptions', 'create') ? (
                  <Button size="xs" variant="default" component={Link} to={`${SUB_BASE}/pay?customer=${encodeURIComponent(r.customerNo)}`}>
                    Take payment
                  </Button>
                ) : null}
              </Group>
            ),
          },
        ]}
      />
    </>
  );
}
