import { Alert, Button, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { paymentsList, paymentsReverse, TENDERS, type Tender } from '../../../../src-shared/contracts/energy/counter';
import { RpcError, useRpcMutation, useRpcPages, useSession } from '../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, LoadMore, PageHeader, showingOf, StatusBadge } from '../../../components';
import { formatAmount } from './printing';

/** Counter payments, newest first, filterable by shift in the URL; supervisors ask for reversals here. */
export function PaymentsPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const shiftId = params.get('shiftId') ?? undefined;
  const payments = useRpcPages(paymentsList, { shiftId });
  const reverse = useRpcMutation(paymentsReverse, { notifyErrors: false });
  const [target, setTarget] = useState<{ id: string; version: number; receiptNo: string } | null>(null);
  const [reason, setReason] = useState('');
  const canVoid = session.can('energy.counter', 'void');
  return (
    <>
      <PageHeader title="Counter payments" subtitle={shiftId ? 'Payments of one shift' : 'Every payment taken at the counter'} />
      <DataTable
        label="Payments"
        rows={payments.rows}
        loading={payments.query.isLoading}
        rowKey="paymentId"
        onOpen={(p) => (canVoid && p.status === 'completed' ? setTarget({ id: p.paymentId, version: p.version, receiptNo: p.receiptNo }) : undefined)}
        empty={<EmptyState title="No payments" description="Payments appear here as cashiers take them at the Counter." />}
        totalLabel={payments.first ? `${showingOf(payments.rows.length, payments.total, 'payment')} · ${formatAmount(payments.first.totals.amount)}` : null}
        footer={<LoadMore query={payments.query} />}
        columns={[
          { key: 'receiptNo', header: 'Receipt' },
          { key: 'at', header: 'At', render: (p) => <DateText value={p.at} /> },
          { key: 'accountNo', header: 'Account' },
          { key: 'accountName', header: 'Name' },
          { key: 'tender', header: 'Tender', render: (p) => TENDERS[p.tender as Tender].label },
          { key: 'amount', header: 'Amount', align: 'right', render: (p) => formatAmount(p.amount) },
          { key: 'cashierName', header: 'Cashier' },
          { key: 'status', header: 'Status', render: (p) => <StatusBadge status={p.status} /> },
        ]}
      />
      {target ? (
        <Modal opened onClose={() => setTarget(null)} title={`Reverse payment ${target.receiptNo}`}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              reverse.mutate({ input: { id: target.id, version: target.version, reason } }, { onSuccess: () => setTarget(null) });
            }}
          >
            <Stack>
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
      ) : null}
    </>
  );
}
