import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { TENDERS } from '../../../../src-shared/contracts/energy/counter';
import { paymentsGet, type PaymentReceipt } from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcQuery } from '../../../api/hooks';
import { DateText, ErrorAlert } from '../../../components';
import { PrintArea, formatAmount, printNow } from '../../energy/counter/printing';

/** A subscription payment's receipt: printed at the counter, and again from the invoice it paid. */
export function PaymentReceiptView({ receipt }: { receipt: PaymentReceipt }) {
  return (
    <PrintArea label="Receipt" width={360}>
      <Stack gap={4} p="md" style={{ border: '1px dashed var(--mantine-color-gray-5)', fontFamily: 'monospace' }}>
        <Text fw={700} ta="center">
          {receipt.branchName}
        </Text>
        <Text ta="center" size="sm">
          Subscription payment {receipt.receiptNo}
        </Text>
        <Text size="xs" ta="center">
          <DateText value={receipt.at} /> · {receipt.cashierName} · shift #{receipt.shiftNo}
        </Text>
        <Text size="sm">
          {receipt.customerNo} {receipt.customerName}
        </Text>
        <div className="print-row">
          <span>Paid ({TENDERS[receipt.tender].label})</span>
          <b>{formatAmount(receipt.amount)}</b>
        </div>
        {receipt.tender === 'cash' ? (
          <div className="print-row">
            <span>Change</span>
            <b>{formatAmount(receipt.change)}</b>
          </div>
        ) : null}
        {receipt.settled.map((s) => (
          <div className="print-row" key={s.invoiceId}>
            <span>Settled {s.invoiceNo}</span>
            <span>{formatAmount(s.amount)}</span>
          </div>
        ))}
        {receipt.unapplied > 0 ? (
          <div className="print-row">
            <span>Kept as credit</span>
            <span>{formatAmount(receipt.unapplied)}</span>
          </div>
        ) : null}
        {receipt.restored.map((r) => (
          <Text key={r.subscriptionId} size="sm" fw={700}>
            {r.subscriptionNo} restored: {r.from === 'suspended' ? 'service back on' : 'reminders stopped'}
          </Text>
        ))}
        <div className="print-row">
          <span>Still owed</span>
          <b>{formatAmount(receipt.owedAfter)}</b>
        </div>
      </Stack>
    </PrintArea>
  );
}

/** A payment's receipt again, from the invoice it paid (the customer lost it, or asks what they paid). */
export function ReceiptDialog({ paymentId, onClose }: { paymentId: string; onClose(): void }) {
  const receipt = useRpcQuery(paymentsGet, { id: paymentId });
  return (
    <Modal opened onClose={onClose} title="Payment receipt">
      {receipt.error ? <ErrorAlert error={receipt.error} /> : null}
      {receipt.data ? (
        <Stack>
          <PaymentReceiptView receipt={receipt.data} />
          <Group className="plug1-no-print">
            <Button onClick={() => void printNow()} data-autofocus>
              Print / PDF
            </Button>
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
