import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { TENDERS, type Tender } from '../../../../src-shared/contracts/energy/counter';
import { DateText, ErrorAlert } from '../../../components';

/**
 * Receipts and bills print themselves: the page hides everything but `.plug1-print` under print
 * media. In the desktop shell the preload's `print` sends the page to the (receipt) printer; in a
 * browser, `window.print()` opens the print dialog, whose "Save as PDF" destination is the PDF.
 * (No PDF library ships with the app: the print stylesheet is the PDF layout.)
 */
export const PRINT_CSS = `
@media print {
  body * { visibility: hidden !important; }
  .plug1-print, .plug1-print * { visibility: visible !important; }
  .plug1-print { position: absolute; left: 0; top: 0; width: 100%; padding: 0; box-shadow: none; border: none; }
  .plug1-no-print { display: none !important; }
  @page { margin: 10mm; }
}
.plug1-print .print-row { display: flex; justify-content: space-between; gap: 12px; font-variant-numeric: tabular-nums; }
`;

export function PrintStyles() {
  return <style>{PRINT_CSS}</style>;
}

export async function printNow(options: { silent?: boolean } = {}): Promise<void> {
  if (window.plug1) {
    await window.plug1.print({ silent: options.silent ?? false });
    return;
  }
  window.print();
}

export function PrintArea({ children, label, width }: { children: ReactNode; label: string; width?: number | string }) {
  return (
    <div className="plug1-print" aria-label={label} style={{ maxWidth: width }}>
      {children}
    </div>
  );
}

export const formatAmount = (minor: number): string =>
  (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "123.45" or "123,45" → 12345 minor units; null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const cleaned = text.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** Who printed a receipt, where and when: the head every counter receipt starts with. */
export interface ReceiptHeadline {
  branchName: string;
  /** "Payment receipt R-000123", "Package sale S-000045" … */
  title: ReactNode;
  at: string;
  cashierName: string;
  shiftNo: number;
  /** The account or customer it was for. */
  party: ReactNode;
}

/** One line of a receipt: what, and how much; `strong` for the figure the customer looks for. */
export function ReceiptLine({ label, amount, strong = false }: { label: ReactNode; amount: number; strong?: boolean }) {
  return (
    <div className="print-row">
      <span>{label}</span>
      {strong ? <b>{formatAmount(amount)}</b> : <span>{formatAmount(amount)}</span>}
    </div>
  );
}

/** What was paid and how; with cash, also what was tendered and the change given. */
export function TenderLines({ paid }: { paid: { tender: Tender; amount: number; tendered: number; change: number } }) {
  return (
    <>
      <ReceiptLine label={`Paid (${TENDERS[paid.tender].label})`} amount={paid.amount} strong />
      {paid.tender === 'cash' ? (
        <>
          <ReceiptLine label="Tendered" amount={paid.tendered} />
          <ReceiptLine label="Change" amount={paid.change} strong />
        </>
      ) : null}
    </>
  );
}

/** A counter receipt: the shared head, then the lines of its kind, on till-roll width. */
export function ReceiptPaper({ head, children }: { head: ReceiptHeadline; children: ReactNode }) {
  return (
    <PrintArea label="Receipt" width={360}>
      <Stack gap={4} p="md" style={{ border: '1px dashed var(--mantine-color-gray-5)', fontFamily: 'monospace' }}>
        <Text fw={700} ta="center">
          {head.branchName}
        </Text>
        <Text ta="center" size="sm">
          {head.title}
        </Text>
        <Text size="xs" ta="center">
          <DateText value={head.at} /> · {head.cashierName} · shift #{head.shiftNo}
        </Text>
        <Text size="sm">{head.party}</Text>
        {children}
      </Stack>
    </PrintArea>
  );
}

/** A receipt printed again later (the customer lost it, a copy for the file): loads, shows, prints. */
export function ReprintDialog({ title, error, onClose, children }: { title: string; error: unknown; onClose(): void; children: ReactNode }) {
  return (
    <Modal opened onClose={onClose} title={title}>
      <PrintStyles />
      {error ? <ErrorAlert error={error} /> : null}
      {children ? (
        <Stack>
          {children}
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
