import { Alert, Badge, Button, Group, Kbd, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { accountCard, accountsFind, paymentsCreate, shiftsClose, shiftsCurrent, shiftsOpen, TENDERS, type Receipt, type Tender } from '../../../../src-shared/contracts/energy/counter';
import { vendsCreate, vendsPreview, type VendReceipt } from '../../../../src-shared/contracts/energy/prepaid';
import { RpcError, useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { ErrorAlert, PageHeader } from '../../../components';
import { PrintStyles, ReceiptLine, ReceiptPaper, TenderLines, formatAmount, parseAmount, printNow } from './printing';

/**
 * The counter: one screen, keyboard only. The search box has focus; Enter opens the first match's
 * account card; the amount field takes focus; F1–F4 pick the tender; Enter confirms; the receipt
 * prints; Esc starts the next customer. Each intended payment gets one idempotency key, reused if
 * the same payment is retried, so a double Enter or a lost answer never charges twice.
 */
const TENDER_BY_KEY: Record<string, Tender> = Object.fromEntries(Object.entries(TENDERS).map(([tender, t]) => [t.key, tender as Tender]));
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

function OpenShift() {
  const open = useRpcMutation(shiftsOpen, { invalidate: ['energy.counter.'] });
  const [float, setFloat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = parseAmount(float || '0');
    if (amount === null) return setError('Enter the float as an amount, e.g. 500.00');
    setError(null);
    open.mutate({ input: { openingFloat: amount } });
  };
  return (
    <Paper withBorder p="lg" maw={420}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={3} fz="h4">
            Open your shift
          </Title>
          <Text size="sm" c="dimmed">
            Count the float in the drawer. Every payment and vend you take belongs to this shift until you close it.
          </Text>
          <TextInput label="Opening float" value={float} onChange={(e) => setFloat(e.currentTarget.value)} error={error} autoFocus inputMode="decimal" />
          <Button type="submit" loading={open.isPending}>
            Open shift <Kbd ml="xs">Enter</Kbd>
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function CloseShiftDialog({ shift, expected, onClose }: { shift: { id: string; version: number; shiftNo: number }; expected: Record<Tender, number>; onClose(): void }) {
  const close = useRpcMutation(shiftsClose, { invalidate: ['energy.counter.'], notifyErrors: false });
  const [counted, setCounted] = useState<Record<Tender, string>>({ cash: '', card: '', cheque: '', transfer: '' });
  const [note, setNote] = useState('');
  const [waiting, setWaiting] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amounts = Object.fromEntries(Object.entries(counted).map(([t, v]) => [t, parseAmount(v || '0') ?? 0])) as Record<Tender, number>;
    close.mutate(
      { input: { id: shift.id, version: shift.version, counted: amounts, ...(note ? { note } : {}) } },
      {
        onSuccess: onClose,
        onError: (err) => {
          if (err instanceof RpcError && err.code === 'APPROVAL_REQUIRED') setWaiting(true);
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={`Close shift #${shift.shiftNo}`}>
      {waiting ? (
        <Alert color="yellow" title="Waiting for a supervisor" role="status">
          The counted money differs from what was expected by more than the allowed variance. A supervisor must approve the close
          (Approvals); until then the shift takes no new transactions.
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {(Object.keys(TENDERS) as Tender[]).map((t, i) => (
              <TextInput
                key={t}
                label={`Counted ${TENDERS[t].label.toLowerCase()}`}
                description={`Expected ${formatAmount(expected[t])}`}
                value={counted[t]}
                onChange={(e) => setCounted({ ...counted, [t]: e.currentTarget.value })}
                data-autofocus={i === 0 || undefined}
                inputMode="decimal"
              />
            ))}
            <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} placeholder="Why the drawer is over or short" />
            {close.error && close.error.code !== 'APPROVAL_REQUIRED' ? <ErrorAlert error={close.error} /> : null}
            <Button type="submit" loading={close.isPending}>
              Close shift
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function ReceiptView({ receipt }: { receipt: Receipt }) {
  return (
    <ReceiptPaper head={{ ...receipt, title: <>Payment receipt {receipt.receiptNo}</>, party: <>{receipt.accountNo} {receipt.accountName}</> }}>
      <TenderLines paid={receipt} />
      {receipt.settled.map((s) => (
        <ReceiptLine key={s.billId} label={`Settled ${s.billNo}`} amount={s.amount} />
      ))}
      {receipt.unapplied > 0 ? <ReceiptLine label="Kept as credit" amount={receipt.unapplied} /> : null}
      <ReceiptLine label="Balance now" amount={receipt.balanceAfter} strong />
    </ReceiptPaper>
  );
}

function VendReceiptView({ receipt }: { receipt: VendReceipt }) {
  const s = receipt.split;
  // A vend's split shows only the parts that apply to this account.
  const line = (label: string, amount: number) => (amount ? <ReceiptLine label={label} amount={amount} /> : null);
  return (
    <ReceiptPaper head={{ ...receipt, title: <>Prepaid {receipt.kind === 'emergency' ? 'emergency credit' : 'vend'} {receipt.receiptNo}</>, party: <>{receipt.accountNo} {receipt.accountName} · meter {receipt.stsMeterNo}</> }}>
      {receipt.tender === 'none' ? null : line(`Paid (${TENDERS[receipt.tender].label})`, s.amount)}
      {line('Arrears recovered', -s.debt)}
      {line('Service charge', -s.serviceCharge)}
      {line('Emergency credit recovered', -s.emergencyRecovered)}
      {line('Tax', -s.tax)}
      {line('Credit used', s.creditUsed)}
      {line('Value vended', s.value)}
      <div className="print-row">
        <span>Units</span>
        <b>
          {s.units} {s.unit}
        </b>
      </div>
      <Text fw={700} ta="center" fz="lg" aria-label="Token" mt="xs">
        {receipt.token}
      </Text>
      {receipt.developmentToken ? (
        <Text size="xs" ta="center" c="red">
          DEVELOPMENT TOKEN — not STS-encrypted; loads no real meter
        </Text>
      ) : null}
      {line('Arrears still owed', receipt.debtAfter)}
      {line('Change', receipt.change)}
    </ReceiptPaper>
  );
}

export function CounterPage() {
  const session = useSession();
  const current = useRpcQuery(shiftsCurrent, {});
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  // The cashier's pick among several matches; otherwise the first match is the account.
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [tender, setTender] = useState<Tender>('cash');
  const [receipt, setReceipt] = useState<{ kind: 'payment'; data: Receipt } | { kind: 'vend'; data: VendReceipt } | null>(null);
  const [closing, setClosing] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  // One key per intended payment: kept across retries of the same entry, renewed after success or any edit.
  const attemptKey = useRef(newKey());

  const hits = useRpcQuery(accountsFind, { query: search ?? '', limit: 10 }, { enabled: !!search });
  const accountId = chosenId ?? (search ? (hits.data?.[0]?.accountId ?? null) : null);
  const card = useRpcQuery(accountCard, { accountId: accountId ?? '' }, { enabled: !!accountId });
  const prepaid = card.data?.account.prepaid ?? false;
  const amountMinor = parseAmount(amount);
  const preview = useRpcQuery(vendsPreview, { accountId: accountId ?? '', amount: amountMinor ?? 0 }, { enabled: prepaid && !!accountId && !!amountMinor });
  const pay = useRpcMutation(paymentsCreate, { invalidate: ['energy.counter.', 'energy.billing.'] });
  const vend = useRpcMutation(vendsCreate, { invalidate: ['energy.counter.', 'energy.prepaid.'] });

  useEffect(() => {
    if (card.data) amountRef.current?.focus();
  }, [card.data]);
  useEffect(() => {
    if (receipt) void printNow({ silent: true });
  }, [receipt]);

  const nextCustomer = () => {
    setReceipt(null);
    setChosenId(null);
    setSearch(null);
    setQuery('');
    setAmount('');
    setTendered('');
    setReference('');
    setTender('cash');
    setFormError(null);
    attemptKey.current = newKey();
    setTimeout(() => searchRef.current?.focus(), 0);
  };

  const onKeyDown = (e: globalThis.KeyboardEvent) => {
    const picked = TENDER_BY_KEY[e.key];
    if (picked && accountId) {
      e.preventDefault();
      setTender(picked);
      attemptKey.current = newKey();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      nextCustomer();
    }
    if (e.key === 'F9' && current.data?.shift && !current.data.shift.pendingCloseApprovalId) {
      e.preventDefault();
      setClosing(true);
    }
  };

  // Listened to on the window: after a receipt the focused form is gone, and the keys must still work.
  const keyHandler = useRef(onKeyDown);
  useEffect(() => {
    keyHandler.current = onKeyDown;
  });
  useEffect(() => {
    const listener = (e: globalThis.KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (!accountId) return;
    if (amountMinor === null || amountMinor <= 0) return setFormError('Enter the amount paid, e.g. 150.00');
    const tenderedMinor = tender === 'cash' && tendered ? parseAmount(tendered) : null;
    if (tender === 'cash' && tendered && (tenderedMinor === null || tenderedMinor < amountMinor)) return setFormError('Tendered must be at least the amount');
    setFormError(null);
    const base = { accountId, tender, amount: amountMinor, ...(tenderedMinor ? { tendered: tenderedMinor } : {}), ...(reference ? { reference } : {}) };
    const meta = { idempotencyKey: attemptKey.current };
    if (prepaid) vend.mutate({ input: base, meta }, { onSuccess: (data) => setReceipt({ kind: 'vend', data }) });
    else pay.mutate({ input: base, meta }, { onSuccess: (data) => setReceipt({ kind: 'payment', data }) });
  };

  if (current.isLoading) return null;
  if (current.error) return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  const shift = current.data?.shift ?? null;
  const report = current.data?.report ?? null;

  return (
    <div>
      <PrintStyles />
      <div className="plug1-no-print">
        <PageHeader
          title="Counter"
          subtitle={shift ? `${session.user.displayName} · shift #${shift.shiftNo} opened` : 'No open shift'}
          badge={shift ? <Badge color={shift.pendingCloseApprovalId ? 'yellow' : 'green'}>{shift.pendingCloseApprovalId ? 'Close waiting for approval' : 'Shift open'}</Badge> : null}
          actions={
            shift ? (
              <>
                <Button variant="default" component={Link} to={`/energy/counter/shifts/${shift.id}`}>
                  X report
                </Button>
                <Button variant="light" color="red" onClick={() => setClosing(true)} disabled={!!shift.pendingCloseApprovalId}>
                  Close shift <Kbd ml="xs">F9</Kbd>
                </Button>
              </>
            ) : null
          }
        />
      </div>
      {!shift ? (
        <OpenShift />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Stack className="plug1-no-print">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                setChosenId(null);
                setSearch(query.trim() || null);
              }}
            >
              <TextInput
                ref={searchRef}
                label="Find account"
                description="Account or meter number, name or phone — Enter"
                value={query}
                onChange={(e) => setQuery(e.currentTarget.value)}
                autoFocus
                disabled={!!shift.pendingCloseApprovalId}
              />
            </form>
            {search && hits.data && hits.data.length === 0 ? <Text c="dimmed">No account matches “{search}”. Try the meter number or the phone number.</Text> : null}
            {hits.data && hits.data.length > 1 ? (
              <Group gap="xs">
                {hits.data.map((h) => (
                  <Button key={h.accountId} size="xs" variant={h.accountId === accountId ? 'filled' : 'default'} onClick={() => setChosenId(h.accountId)}>
                    {h.accountNo} {h.name}
                  </Button>
                ))}
              </Group>
            ) : null}
            {card.data ? (
              <Paper withBorder p="md" aria-label="Account card">
                <Group justify="space-between">
                  <div>
                    <Text fw={700}>
                      {card.data.account.accountNo} · {card.data.account.name}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {card.data.account.address} · meter {card.data.account.meterSerial ?? '—'}
                    </Text>
                  </div>
                  <Stack gap={0} align="flex-end">
                    <Badge color={prepaid ? 'grape' : 'blue'}>{prepaid ? 'Prepaid vend' : 'Bill payment'}</Badge>
                    <Text size="sm">
                      Balance <b aria-label="Balance">{formatAmount(card.data.account.balance)}</b>
                    </Text>
                  </Stack>
                </Group>
                <Group gap="lg" mt="xs">
                  {(['current', 'days30', 'days60', 'days90'] as const).map((b) => (
                    <Text key={b} size="xs">
                      {b === 'current' ? 'Current' : `${b.slice(4)}${b === 'days90' ? '+' : ''} days`}: {formatAmount(card.data!.aging[b])}
                    </Text>
                  ))}
                </Group>
                {card.data.openBills.length ? (
                  <Table mt="xs" fz="sm" aria-label="Open bills">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Bill</Table.Th>
                        <Table.Th>Date</Table.Th>
                        <Table.Th ta="right">Open</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {card.data.openBills.map((b) => (
                        <Table.Tr key={b.billId}>
                          <Table.Td>{b.billNo}</Table.Td>
                          <Table.Td>{b.issueDate}</Table.Td>
                          <Table.Td ta="right">{formatAmount(b.open)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : (
                  <Text size="sm" c="dimmed" mt="xs">
                    No open bills{card.data.credit ? `; ${formatAmount(card.data.credit)} in credit` : ''}.
                  </Text>
                )}
              </Paper>
            ) : null}
            {card.data && !receipt ? (
              <form onSubmit={confirm}>
                <Stack gap="xs">
                  <SegmentedControl
                    aria-label="Tender"
                    value={tender}
                    onChange={(v) => setTender(v as Tender)}
                    data={(Object.keys(TENDERS) as Tender[]).map((t) => ({ value: t, label: `${TENDERS[t].key} ${TENDERS[t].label}` }))}
                  />
                  <Group grow>
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
                      <TextInput label="Tendered" value={tendered} onChange={(e) => setTendered(e.currentTarget.value)} inputMode="decimal" description={amountMinor && parseAmount(tendered) ? `Change ${formatAmount((parseAmount(tendered) ?? 0) - amountMinor)}` : 'Optional'} />
                    ) : (
                      <TextInput label="Reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} description={tender === 'card' ? 'Optional' : 'Required'} />
                    )}
                  </Group>
                  {prepaid && preview.data ? (
                    <Text size="sm" aria-label="Vend preview">
                      Arrears {formatAmount(preview.data.split.debt)} · charges {formatAmount(preview.data.split.serviceCharge)} · tax {formatAmount(preview.data.split.tax)} → value{' '}
                      {formatAmount(preview.data.split.value)} = <b>{preview.data.split.units} {preview.data.split.unit}</b>
                    </Text>
                  ) : null}
                  {prepaid && preview.error ? <ErrorAlert error={preview.error} /> : null}
                  <Button type="submit" loading={pay.isPending || vend.isPending}>
                    {prepaid ? 'Vend and print token' : 'Take payment and print'} <Kbd ml="xs">Enter</Kbd>
                  </Button>
                  <Text size="xs" c="dimmed">
                    F1 cash · F2 card · F3 cheque · F4 transfer · Esc next customer · F9 close shift
                  </Text>
                </Stack>
              </form>
            ) : null}
          </Stack>
          <Stack>
            {receipt ? (
              <>
                {receipt.kind === 'payment' ? <ReceiptView receipt={receipt.data} /> : <VendReceiptView receipt={receipt.data} />}
                <Group className="plug1-no-print">
                  <Button variant="default" onClick={() => void printNow()}>
                    Print again / PDF
                  </Button>
                  <Button onClick={nextCustomer}>
                    Next customer <Kbd ml="xs">Esc</Kbd>
                  </Button>
                </Group>
              </>
            ) : report ? (
              <Paper withBorder p="md" className="plug1-no-print">
                <Text fw={600} mb="xs">
                  This shift so far (X)
                </Text>
                {report.byType.length === 0 ? <Text size="sm" c="dimmed">No transactions yet. Find an account to take the first payment.</Text> : null}
                {report.byType.map((r) => (
                  <Group key={r.type} justify="space-between">
                    <Text size="sm">
                      {r.label} ({r.count})
                    </Text>
                    <Text size="sm">{formatAmount(r.amount)}</Text>
                  </Group>
                ))}
                <Group justify="space-between" mt="xs">
                  <Text size="sm">Cash expected in the drawer</Text>
                  <Text size="sm" fw={700}>
                    {formatAmount(report.expected.cash)}
                  </Text>
                </Group>
              </Paper>
            ) : null}
          </Stack>
        </SimpleGrid>
      )}
      {closing && shift && report ? <CloseShiftDialog shift={shift} expected={report.expected} onClose={() => setClosing(false)} /> : null}
    </div>
  );
}
