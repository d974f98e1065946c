import { ActionIcon, Alert, Anchor, Badge, Button, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArrowLeft, IconBuildingSkyscraper, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PRICING_MODES, tariffsCreate, tariffsPreview, tariffsRevise, type PricingMode } from '../../../../src-shared/contracts/energy/billing';
import { syncOwnership } from '../../../../src-shared/contracts/sync';
import { RpcError, useRpcMutation, useRpcQuery } from '../../../api/hooks';
import { useZodForm } from '../../../api/forms';
import { ErrorAlert, PageHeader } from '../../../components';
import { formatAmount, parseAmount } from '../counter/printing';
import { BILLING_PATH } from './pages';

/**
 * Create a tariff, or revise one (`?revise=CODE`): the same zod contract checks the form, errors
 * sit beside their fields, Enter submits, and a live preview prices a consumption under the terms
 * being typed. Both actions go to a supervisor for approval.
 */
interface TierRow {
  upTo: string;
  rate: string;
}

interface Values extends Record<string, unknown> {
  code: string;
  kind: 'postpaid' | 'prepaid';
  category: string;
  name: string;
  effectiveFrom: string;
  fixedCharge: string;
  pricingMode: PricingMode;
  minimumCharge: string;
  taxPercent: string;
  unit: string;
}

const money = (text: string) => parseAmount(text || '0') ?? Number.NaN;
const toTiers = (rows: TierRow[]) =>
  rows.map((r, i) => ({ upTo: i === rows.length - 1 ? null : Number(r.upTo), rate: Math.round(Number(r.rate) * 100 * 10_000) / 10_000 }));

export function TariffFormPage() {
  const [params] = useSearchParams();
  const revise = params.get('revise');
  // The same query useHqOwnership reads, here for its loading state too: the form must not flash
  // up for a moment and then turn into "owned by HQ".
  const owned = useRpcQuery(syncOwnership, { entity: 'tariff' });
  if (owned.isLoading) return <Loader size="sm" aria-label="Loading" />;
  // Reached by a bookmark, the address bar or an old link: once HQ owns the tariffs the server
  // refuses every create and revise, so say so instead of offering a form that cannot be saved.
  if (owned.data?.some((r) => r.entityId === '*')) return <OwnedByHq revise={revise} />;
  return <TariffForm revise={revise} />;
}

function OwnedByHq({ revise }: { revise: string | null }) {
  // Enter goes back: the one thing to do here. (React's autoFocus skips links.)
  const back = useRef<HTMLAnchorElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <>
      <PageHeader title={revise ? `Revise tariff ${revise}` : 'New tariff'} badge={<Badge variant="light">Owned by HQ</Badge>} />
      <Paper withBorder p="md" maw={640}>
        <Stack align="flex-start">
          <Alert color="blue" variant="light" icon={<IconBuildingSkyscraper size={18} />} title="Tariffs are owned by HQ" w="100%">
            {revise ? `Tariff ${revise} cannot be revised at this branch.` : 'New tariffs cannot be created at this branch.'} HQ publishes every tariff and
            every new version; it reaches this branch with the next sync, and bills use it from its effective date. Ask HQ for the change.
          </Alert>
          <Button component={Link} to={`${BILLING_PATH}/tariffs`} leftSection={<IconArrowLeft size={16} />} variant="default" ref={back}>
            Back to tariffs
          </Button>
        </Stack>
      </Paper>
    </>
  );
}

function TariffForm({ revise }: { revise: string | null }) {
  const [tiers, setTiers] = useState<TierRow[]>([
    { upTo: '1000', rate: '1.50' },
    { upTo: '', rate: '2.00' },
  ]);
  const [consumption, setConsumption] = useState('400');
  const [sent, setSent] = useState<string | null>(null);
  const prepare = (v: Values) => ({
    ...(revise ? { code: revise } : { code: v.code, kind: v.kind, category: v.category }),
    name: v.name,
    effectiveFrom: v.effectiveFrom,
    fixedCharge: money(v.fixedCharge),
    pricingMode: v.pricingMode,
    tiers: toTiers(tiers),
    minimumCharge: money(v.minimumCharge),
    taxRateBp: Math.round(Number(v.taxPercent || '0') * 100),
    unit: v.unit,
  });
  const form = useZodForm(revise ? tariffsRevise.input : tariffsCreate.input, {
    code: '',
    kind: 'postpaid',
    category: 'residential',
    name: '',
    effectiveFrom: '',
    fixedCharge: '30.00',
    pricingMode: 'graduated',
    minimumCharge: '0',
    taxPercent: '0',
    unit: 'kWh',
  } as Values, prepare as (v: Values) => unknown);
  const create = useRpcMutation(tariffsCreate, { notifyErrors: false });
  const reviseMutation = useRpcMutation(tariffsRevise, { notifyErrors: false });
  const mutation = revise ? reviseMutation : create;
  const terms = prepare(form.values);
  const preview = useRpcQuery(
    tariffsPreview,
    { pricingMode: terms.pricingMode, fixedCharge: terms.fixedCharge, tiers: terms.tiers, minimumCharge: terms.minimumCharge, taxRateBp: terms.taxRateBp, consumption: Number(consumption) || 0 },
    { enabled: Number.isFinite(terms.fixedCharge) && terms.tiers.every((t) => Number.isFinite(t.rate)), keepPrevious: true },
  );

  const submit = form.onSubmit((input) => {
    const onError = (err: RpcError) => {
      if (err.code === 'APPROVAL_REQUIRED') setSent(String(err.details?.approvalId ?? ''));
      else form.applyServerErrors(err);
    };
    if (revise) reviseMutation.mutate({ input: input as never }, { onError });
    else create.mutate({ input: input as never }, { onError });
  });

  return (
    <>
      <PageHeader title={revise ? `Revise tariff ${revise}` : 'New tariff'} subtitle="A supervisor approves every tariff and every change before it applies." />
      {sent !== null ? (
        <Alert color="yellow" title="Sent for approval" mb="md">
          The tariff applies once a supervisor approves it.{' '}
          <Anchor component={Link} to={`/approvals?box=mine${sent ? `&id=${sent}` : ''}`}>
            Follow the request
          </Anchor>
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Paper withBorder p="md">
          <form onSubmit={submit}>
            <Stack>
              {!revise ? (
                <Group grow>
                  <TextInput label="Code" {...form.text('code')} autoFocus />
                  <Select label="Kind" data={['postpaid', 'prepaid']} value={form.values.kind} onChange={(v) => form.setField('kind', (v ?? 'postpaid') as Values['kind'])} allowDeselect={false} />
                  <TextInput label="Category" {...form.text('category')} />
                </Group>
              ) : null}
              <Group grow>
                <TextInput label="Name" {...form.text('name')} autoFocus={!!revise} />
                <TextInput label="Effective from" type="date" {...form.text('effectiveFrom')} />
              </Group>
              <Group grow>
                <TextInput label="Fixed charge per period" {...form.text('fixedCharge')} error={form.errors.fixedCharge} />
                <TextInput label="Minimum charge" {...form.text('minimumCharge')} error={form.errors.minimumCharge} />
                <TextInput label="Tax %" {...form.text('taxPercent')} error={form.errors.taxRateBp} />
              </Group>
              <SegmentedControl
                aria-label="Pricing mode"
                value={form.values.pricingMode}
                onChange={(v) => form.setField('pricingMode', v as PricingMode)}
                data={(Object.keys(PRICING_MODES) as PricingMode[]).map((m) => ({ value: m, label: PRICING_MODES[m] }))}
              />
              <Table aria-label="Tiers">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Up to (units per period)</Table.Th>
                    <Table.Th>Rate per unit</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {tiers.map((tier, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>
                        {i === tiers.length - 1 ? (
                          <Text size="sm" c="dimmed">
                            and above
                          </Text>
                        ) : (
                          <TextInput aria-label={`Tier ${i + 1} up to`} value={tier.upTo} onChange={(e) => setTiers(tiers.map((t, j) => (j === i ? { ...t, upTo: e.currentTarget.value } : t)))} />
                        )}
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Tier ${i + 1} rate`} value={tier.rate} onChange={(e) => setTiers(tiers.map((t, j) => (j === i ? { ...t, rate: e.currentTarget.value } : t)))} />
                      </Table.Td>
                      <Table.Td>
                        {tiers.length > 1 ? (
                          <ActionIcon variant="subtle" aria-label={`Remove tier ${i + 1}`} onClick={() => setTiers(tiers.filter((_, j) => j !== i))}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {form.errors.tiers ? <Text c="red" size="sm">{form.errors.tiers}</Text> : null}
              <Group justify="space-between">
                <Button variant="default" leftSection={<IconPlus size={14} />} onClick={() => setTiers([...tiers.slice(0, -1), { upTo: '', rate: tiers.at(-1)?.rate ?? '' }, tiers.at(-1)!])}>
                  Add tier
                </Button>
                <Button type="submit" loading={mutation.isPending}>
                  Send for approval
                </Button>
              </Group>
              {mutation.error && mutation.error.code !== 'APPROVAL_REQUIRED' && mutation.error.code !== 'VALIDATION' ? <ErrorAlert error={mutation.error} /> : null}
            </Stack>
          </form>
        </Paper>
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            What a period costs
          </Text>
          <TextInput label="Consumption" value={consumption} onChange={(e) => setConsumption(e.currentTarget.value)} mb="sm" maw={200} />
          {preview.data ? (
            <Table aria-label="Preview">
              <Table.Tbody>
                {preview.data.lines.map((l, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{l.label}</Table.Td>
                    <Table.Td ta="right">{formatAmount(l.amount)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr fw={700}>
                  <Table.Td>Total</Table.Td>
                  <Table.Td ta="right">{formatAmount(preview.data.total)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              Complete the tiers to see the price.
            </Text>
          )}
        </Paper>
      </SimpleGrid>
    </>
  );
}
