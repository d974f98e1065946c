import { Text } from '@mantine/core';
import { paymentsGet, type PaymentReceipt } from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcQuery } from '../../../api/hooks';
import { ReceiptLine, ReceiptPaper, ReprintDialog, TenderLines } from '../../energy/counter/printing';

/** A subscription payment's receipt: printed at the counter, and again from the invoice it paid. */
export function PaymentReceiptView({ receipt }: { receipt: PaymentReceipt }) {
  return (
    <ReceiptPaper head={{ ...receipt, title: <>Subscription payment {receipt.receiptNo}</>, party: <>{receipt.customerNo} {receipt.customerName}</> }}>
      <TenderLines paid={receipt} />
      {receipt.settled.map((s) => (
        <ReceiptLine key={s.invoiceId} label={`Settled ${s.invoiceNo}`} amount={s.amount} />
      ))}
      {receipt.unapplied > 0 ? <ReceiptLine label="Kept as credit" amount={receipt.unapplied} /> : null}
      {receipt.restored.map((r) => (
        <Text key={r.subscriptionId} size="sm" fw={700}>
          {r.subscriptionNo} restored: {r.from === 'suspended' ? 'service back on' : 'reminders stopped'}
        </Text>
      ))}
      <ReceiptLine label="Still owed" amount={receipt.owedAfter} strong />
    </ReceiptPaper>
  );
}

/** A payment's receipt again, from the invoice it paid (the customer lost it, or asks what they paid). */
export function ReceiptDialog({ paymentId, onClose }: { paymentId: string; onClose(): void }) {
  const receipt = useRpcQuery(paymentsGet, { id: paymentId });
  return (
    <ReprintDialog title="Payment receipt" error={receipt.error} onClose={onClose}>
      {receipt.data ? <PaymentReceiptView receipt={receipt.data} /> : null}
    </ReprintDialog>
  );
}
