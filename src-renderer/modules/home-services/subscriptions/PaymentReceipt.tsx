import { Text } from '@mantine/core';
import { TENDERS } from '../../../../src-shared/contracts/energy/counter';
import { paymentsGet, type PaymentReceipt } from '../../../../src-shared/contracts/home-services/subscriptions';
import { useRpcQuery } from '../../../api/hooks';
import { ReceiptPaper, ReprintDialog, formatAmount } from '../../energy/counter/printing';

/** A subscription payment's receipt: printed at the counter, and again from the invoice it paid. */
export function PaymentReceiptView({ receipt }: { receipt: PaymentReceipt }) {
  return (
    <ReceiptPaper head={{ ...receipt, title: <>Subscription payment {receipt.receiptNo}</>, party: <>{receipt.customerNo} {receipt.customerName}</> }}>
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
