import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { INVOICE_KINDS, invoicesGet, invoicesList, type Invoice, type Settlement } from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcPages, useRpcQuery } from '../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, LoadMore, MoneyText, PageHeader, StatusBadge } from '../../../components';
import { PrintArea, PrintStyles, formatAmount, printNow } from '../../energy/counter/printing';
import { SUB_BASE, periodRange, useUrlFilters } from '../packages/shared';
import { FunctionTabs } from './FunctionTabs';
import { ReceiptDialog } from './PaymentReceipt';

const STATUS_LABEL: Record<Invoice['status'], string> = { open: 'Open', overdue: 'Overdue', paid: 'Paid', credit: 'Credit to use', applied: 'Credit used' };
export const invoiceBadge = (i: Invoice) => <StatusBadge status={i.status === 'credit' ? 'pending' : i.status === 'applied' ? 'closed' : i.status} label={STATUS_LABEL[i.status]} />;

/** `showCustomer` on the branch-wide list; a subscription's own invoices need not repeat whose they are. */
export function InvoiceTable({ rows, showCustomer = false }: { rows: readonly Invoice[]; showCustomer?: boolean }) {
  const navigate = useNavigate();
  return (
    <DataTable
      label="Invoices"
      rows={rows}
      rowKey="id"
      onOpen={(i) => navigate(`${SUB_BASE}/invoices/${i.id}`)}
      empty={<EmptyState title="No invoices" description="Each period is invoiced in advance when it starts; plan changes and visits beyond the allowance add their own." />}
      columns={[
        { key: 'invoiceNo', header: 'No.' },
        ...(showCustomer ? [{ key: 'customerName', header: 'Customer', render: (i: Invoice) => `${i.customerNo} ${i.customerName}` }] : []),
        { key: 'kind', header: 'For', render: (i) => INVOICE_KINDS[i.kind] },
        { key: 'period', header: 'Period', render: (i) => periodRange(i.periodStart, i.periodEnd) },
        { key: 'issueDate', header: 'Issued' },
        { key: 'dueDate', header: 'Due' },
        { key: 'status', header: 'Status', render: invoiceBadge },
        { key: 'totalMinor', header: 'Total', align: 'right', render: (i) => <MoneyText value={i.totalMinor} /> },
        { key: 'openMinor', header: 'Open', align: 'right', render: (i) => <MoneyText value={i.openMinor} /> },
      ]}
    />
  );
}

export function InvoicesListPage() {
  const { values, set } = useUrlFilters(['status', 'from', 'to', 'customerId'] as const);
  const filters = {
    ...(values.status ? { status: values.status as 'open' | 'overdue' | 'paid' } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.customerId ? { customerId: values.customerId } : {}),
  };
  const { query, rows, first, total } = useRpcPages(invoicesList, filters);
  return (
    <>
      <PageHeader title="Subscription invoices" subtitle="Numbered without gaps per branch; credit notes carry negative totals." />
      <FunctionTabs />
      <Group mb="md" align="flex-end">
        <Select
          label="Status"
          clearable
          value={values.status || null}
          onChange={(v) => set({ status: v ?? '' })}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'overdue', label: 'Overdue' },
            { value: 'paid', label: 'Paid' },
          ]}
          w={150}
        />
        <TextInput label="Issued from" type="date" value={values.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        <TextInput label="to" type="date" value={values.to} onChange={(e) => set({ to: e.currentTarget.value })} />
      </Group>
      {query.error ? <ErrorAlert error={query.error} /> : null}
      <InvoiceTable rows={rows} showCustomer />
      <Group justify="space-between" mt="xs">
        <Text size="sm" c="dimmed">
          {first ? `${total} invoices · ${formatAmount(first.totals.totalMinor)} invoiced · ${formatAmount(first.totals.openMinor)} open` : null}
        </Text>
        <LoadMore query={query} />
      </Group>
    </>
  );
}

function MaybePrintArea({ printable, children }: { printable: boolean; children: ReactNode }) {
  return printable ? (
    <PrintArea label="Invoice" width={640}>
      {children}
    </PrintArea>
  ) : (
    <div style={{ maxWidth: 640 }}>{children}</div>
  );
}

/** Who paid what on an invoice, or where a credit note went: each row opens the other document. */
function SettlementTable({ title, rows, side, onReceipt }: { title: string; rows: readonly Settlement[]; side: 'source' | 'invoice'; onReceipt(paymentId: string): void }) {
  return (
    <Paper withBorder p="md" className="plug1-no-print">
      <Text fw={600} size="sm" mb="xs">
        {title}
      </Text>
      <Table fz="sm" aria-label={title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>{side === 'source' ? 'By' : 'Invoice'}</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.sourceId}-${r.invoiceId}-${r.at}`}>
              <Table.Td>
                <DateText value={r.at} />
              </Table.Td>
              <Table.Td>
                {side === 'invoice' ? (
                  <Anchor component={Link} to={`${SUB_BASE}/invoices/${r.invoiceId}`} size="sm">
                    {r.invoiceNo}
                  </Anchor>
                ) : r.kind === 'payment' ? (
                  <Anchor component="button" type="button" size="sm" onClick={() => onReceipt(r.sourceId)}>
                    Payment, receipt {r.sourceNo}
                  </Anchor>
                ) : (
                  <Anchor component={Link} to={`${SUB_BASE}/invoices/${r.sourceId}`} size="sm">
                    Credit note {r.sourceNo}
                  </Anchor>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatAmount(r.amountMinor)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** One invoice, printable: its lines show how each amount was worked out (days of the period). */
export function InvoiceDetailPage() {
  const { id = '' } = useParams();
  const invoice = useRpcQuery(invoicesGet, { id });
  const [receiptOf, setReceiptOf] = useState<string | null>(null);
  if (invoice.error) return <ErrorAlert error={invoice.error} />;
  if (!invoice.data) return null;
  const i = invoice.data;
  return (
    <>
      <PrintStyles />
      <div className="plug1-no-print">
        <PageHeader
          title={`${i.totalMinor < 0 ? 'Credit note' : 'Invoice'} ${i.invoiceNo}`}
          badge={invoiceBadge(i)}
          actions={
            <>
              <Button variant="default" component={Link} to={`${SUB_BASE}/${i.subscriptionId}`}>
                {i.subscriptionNo}
              </Button>
              <Button onClick={() => void printNow()}>Print / PDF</Button>
            </>
          }
        />
        <FunctionTabs />
      </div>
      {/* While a receipt is open, it is what prints: the invoice steps out of the print area. */}
      <MaybePrintArea printable={!receiptOf}>
        <Paper withBorder p="lg">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={700}>
                {i.customerNo} {i.customerName}
              </Text>
              <Text>
                {INVOICE_KINDS[i.kind]} · {periodRange(i.periodStart, i.periodEnd)}
              </Text>
            </Group>
            <Text size="sm">
              Issued {i.issueDate} · due {i.dueDate} · subscription {i.subscriptionNo}
            </Text>
            <Table fz="sm">
              <Table.Tbody>
                {i.lines.map((l) => (
                  <Table.Tr key={l.lineNo}>
                    <Table.Td>{l.description}</Table.Td>
                    <Table.Td ta="right">{formatAmount(l.amountMinor)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={700}>Total</Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {formatAmount(i.totalMinor)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td>{i.totalMinor < 0 ? 'Credit still to use' : 'Still to pay'}</Table.Td>
                  <Table.Td ta="right">{formatAmount(Math.abs(i.openMinor))}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              Partial periods are charged by days over the whole period, rounded once to the cent.
            </Text>
          </Stack>
        </Paper>
      </MaybePrintArea>
      <Stack mt="md" maw={640}>
        {i.settledBy.length > 0 ? <SettlementTable title="Settled by" rows={i.settledBy} side="source" onReceipt={setReceiptOf} /> : null}
        {i.appliedTo.length > 0 ? <SettlementTable title="Credit used against" rows={i.appliedTo} side="invoice" onReceipt={setReceiptOf} /> : null}
        {i.totalMinor > 0 && i.settledBy.length === 0 ? (
          <Text size="sm" c="dimmed" className="plug1-no-print">
            Nothing paid on this invoice yet.
          </Text>
        ) : null}
      </Stack>
      {receiptOf ? <ReceiptDialog paymentId={receiptOf} onClose={() => setReceiptOf(null)} /> : null}
    </>
  );
}
