import { Alert, Anchor, Badge, Button, Group, Kbd, Paper, SimpleGrid, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { shiftsCurrent, type Tender } from '../../../../src-shared/contracts/energy/counter';
import { customerPackages, sell, typesList, type CustomerHit, type PackageType, type SaleReceipt } from '../../../../src-shared/contracts/home-services/packages';
import { useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { ErrorAlert, PageHeader } from '../../../components';
import { PrintStyles, ReceiptPaper, TenderLines, formatAmount, parseAmount, printNow } from '../../energy/counter/printing';
import { CustomerLookup } from './CustomerLookup';
import { FunctionTabs } from './FunctionTabs';
import { PKG_BASE, TENDER_HINT, TenderButtons, newKey, useTenderKeys } from './shared';

/**
 * Selling a package at the counter, keyboard only: the search box has focus; Enter shows the
 * customer's card (what they hold and owe); ↑/↓ and Enter pick the package; F1–F4 pick the
 * tender; Enter confirms; the receipt prints; Esc starts the next customer. One idempotency key
 * per intended sale, kept across retries, so a double Enter never sells twice.
 */

function validityOf(t: PackageType): string {
  if (t.validityKind === 'fixed_date') return `until ${t.validUntil}`;
  if (t.validityKind === 'days_from_purchase') return `${t.validityDays} days`;
  return `${t.validityDays} days from first use`;
}

export function SaleReceiptView({ receipt }: { receipt: SaleReceipt }) {
  return (
    <ReceiptPaper head={{ ...receipt, title: <>Package sale {receipt.receiptNo}</>, party: <>{receipt.customerNo} {receipt.customerName}</> }}>
      <Text size="sm" fw={600}>
        {receipt.packageName} ({receipt.holdingNo})
      </Text>
      {receipt.lines.map((l) => (
        <div className="print-row" key={l.label}>
          <span>{l.label}</span>
          <span>
            {l.sessions} session{l.sessions === 1 ? '' : 's'}
          </span>
        </div>
      ))}
      <Text size="xs">{receipt.validity}</Text>
      <TenderLines paid={receipt} />
      {receipt.reference ? <Text size="xs">Reference {receipt.reference}</Text> : null}
    </ReceiptPaper>
  );
}

function CustomerCard({ hit }: { hit: CustomerHit }) {
  const view = useRpcQuery(customerPackages, { customerId: hit.customerId });
  const active = view.data?.holdings.filter((h) => h.status === 'active') ?? [];
  return (
    <Paper withBorder p="md" aria-label="Customer card">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={700}>
            {hit.customerNo} · {hit.name}
          </Text>
          <Text size="sm" c="dimmed">
            {hit.address}
            {hit.phone ? ` · ${hit.phone}` : ''}
          </Text>
        </div>
        <Stack gap={2} align="flex-end">
          <Badge color={active.length ? 'teal' : 'gray'}>{active.length ? `${active.length} package${active.length === 1 ? '' : 's'} in use` : 'No packages'}</Badge>
          {hit.owed ? (
            <Text size="sm" c="red">
              Owes {formatAmount(hit.owed)} on subscriptions
            </Text>
          ) : null}
        </Stack>
      </Group>
      {active.length ? (
        <Table mt="xs" fz="sm" aria-label="Packages held">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Package</Table.Th>
              <Table.Th ta="right">Left</Table.Th>
              <Table.Th>Last day</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {active.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>
                  {h.holdingNo} {h.name}
                  {h.frozenNow ? ' (frozen)' : ''}
                </Table.Td>
                <Table.Td ta="right">
                  {h.sessionsRemaining} of {h.sessionsTotal}
                </Table.Td>
                <Table.Td>{h.expiresOn ?? 'from first use'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Anchor component={Link} to={`${PKG_BASE}/customers/${hit.customerId}`} size="sm" className="plug1-no-print">
        Every package and redemption of this customer
      </Anchor>
    </Paper>
  );
}

/** The packages on sale as a keyboard list: ↑/↓ move, Enter (or a click) chooses. */
function PackagePicker({ types, value, onPick }: { types: PackageType[]; value: string | null; onPick(id: string): void }) {
  const [cursor, setCursor] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(types.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && types[cursor]) {
      e.preventDefault();
      e.stopPropagation();
      onPick(types[cursor].id);
    }
  };
  if (types.length === 0) return <Text c="dimmed">No package is on sale. A supervisor puts packages on sale under Packages → Package types.</Text>;
  return (
    <div ref={ref} tabIndex={0} role="listbox" aria-label="Packages on sale" onKeyDown={onKeyDown} style={{ outline: 'none' }}>
      <Stack gap={4}>
        {types.map((t, i) => (
          <UnstyledButton
            key={t.id}
            role="option"
            aria-selected={t.id === value}
            tabIndex={-1}
            onClick={() => {
              setCursor(i);
              onPick(t.id);
            }}
            p="xs"
            style={{
              borderRadius: 6,
              border: `1px solid var(--mantine-color-${t.id === value ? 'teal-6' : i === cursor ? 'blue-4' : 'gray-3'})`,
              background: t.id === value ? 'var(--mantine-color-teal-0)' : undefined,
            }}
          >
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm" fw={600}>
                  {t.code} · {t.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {t.sessionsTotal} sessions ({t.services.map((s) => s.serviceName).join(', ')}) · {validityOf(t)}
                  {t.purchaseLimit ? ` · at most ${t.purchaseLimit} per customer` : ''}
                </Text>
              </div>
              <Text fw={700}>{formatAmount(t.priceMinor)}</Text>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </div>
  );
}

export function CounterPage() {
  const session = useSession();
  const current = useRpcQuery(shiftsCurrent, {}, { enabled: session.can('energy.counter', 'view') });
  const types = useRpcQuery(typesList, { status: 'on_sale' });
  const [customer, setCustomer] = useState<CustomerHit | null>(null);
  const [lookupKey, setLookupKey] = useState(0);
  const [packageId, setPackageId] = useState<string | null>(null);
  const [tender, setTender] = useState<Tender>('cash');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<SaleReceipt | null>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const attemptKey = useRef(newKey());
  const sale = useRpcMutation(sell, { invalidate: ['homeServices.packages.', 'energy.counter.'] });
  const tenderKeys = useTenderKeys((t) => {
    setTender(t);
    attemptKey.current = newKey();
  });
  const chosen = types.data?.find((t) => t.id === packageId) ?? null;

  useEffect(() => {
    if (receipt) void printNow({ silent: true });
  }, [receipt]);
  useEffect(() => {
    if (chosen) tenderedRef.current?.focus();
  }, [chosen, tender]);

  const nextCustomer = () => {
    setReceipt(null);
    setCustomer(null);
    setPackageId(null);
    setTender('cash');
    setTendered('');
    setReference('');
    setFormError(null);
    sale.reset();
    attemptKey.current = newKey();
    setLookupKey((k) => k + 1);
  };

  const confirm = (e?: FormEvent) => {
    e?.preventDefault();
    if (!customer || !chosen || sale.isPending || receipt) return;
    const tenderedMinor = tender === 'cash' && tendered ? parseAmount(tendered) : null;
    if (tender === 'cash' && tendered && (tenderedMinor === null || tenderedMinor < chosen.priceMinor)) return setFormError(`Tendered must be at least ${formatAmount(chosen.priceMinor)}`);
    if ((tender === 'cheque' || tender === 'transfer') && !reference.trim()) return setFormError('Enter the cheque or transfer reference');
    setFormError(null);
    sale.mutate(
      {
        input: { customerId: customer.customerId, packageTypeId: chosen.id, tender, ...(tenderedMinor ? { tendered: tenderedMinor } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) },
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
  const noShift = current.data && !shift;
  return (
    <div onKeyDown={onKeyDown}>
      <PrintStyles />
      <div className="plug1-no-print">
        <PageHeader
          title="Sell a package"
          subtitle={shift ? `${session.user.displayName} · shift #${shift.shiftNo}` : 'Package sales belong to your cashier shift'}
          badge={shift ? <Badge color="green">Shift open</Badge> : null}
        />
        <FunctionTabs />
      </div>
      {noShift ? (
        <Alert color="yellow" title="Open your cashier shift first" mb="md">
          Sales are counted in the shift’s X and Z reports.{' '}
          <Anchor component={Link} to="/energy/counter">
            Open a shift at the counter
          </Anchor>
          , then come back.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Stack className="plug1-no-print">
          <CustomerLookup key={lookupKey} onCustomer={setCustomer} disabled={!!noShift} />
          {customer ? <CustomerCard hit={customer} /> : null}
          {customer && !receipt ? (
            <>
              <Text fw={600} size="sm">
                Package <Kbd>↑</Kbd> <Kbd>↓</Kbd> <Kbd>Enter</Kbd>
              </Text>
              <PackagePicker types={types.data ?? []} value={packageId} onPick={(id) => { setPackageId(id); attemptKey.current = newKey(); }} />
            </>
          ) : null}
          {customer && chosen && !receipt ? (
            <form onSubmit={confirm}>
              <Stack gap="xs">
                <TenderButtons value={tender} onChange={(t) => { setTender(t); attemptKey.current = newKey(); }} />
                <Group grow align="flex-start">
                  <TextInput label="Amount due" value={formatAmount(chosen.priceMinor)} readOnly />
                  {tender === 'cash' ? (
                    <TextInput
                      ref={tenderedRef}
                      label="Tendered"
                      value={tendered}
                      onChange={(e) => setTendered(e.currentTarget.value)}
                      inputMode="decimal"
                      error={formError}
                      description={parseAmount(tendered) ? `Change ${formatAmount((parseAmount(tendered) ?? 0) - chosen.priceMinor)}` : 'Optional: for change'}
                    />
                  ) : (
                    <TextInput ref={tenderedRef} label="Reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} error={formError} description={tender === 'card' ? 'Optional' : 'Required'} />
                  )}
                </Group>
                {sale.error ? <ErrorAlert error={sale.error} /> : null}
                <Button type="submit" loading={sale.isPending}>
                  Sell and print receipt <Kbd ml="xs">Enter</Kbd>
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
              <SaleReceiptView receipt={receipt} />
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
                Find the customer, choose the package, pick the tender and press Enter. The package’s terms are what the customer buys: they never change
                once sold.
              </Text>
            </Paper>
          )}
        </Stack>
      </SimpleGrid>
    </div>
  );
}
