import { Alert, Anchor, Badge, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCheck, IconCircleCheck, IconPencil, IconRepeat, IconWalk } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  SKIP_CODES,
  metersGet,
  readingsGet,
  routeSheet,
  type Reading,
} from '../../../../../src-shared/contracts/energy/meter-readings';
import { approvalsList } from '../../../../../src-shared/contracts/kernel';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DateText, ErrorAlert, Field, PageHeader, StatusBadge } from '../../../../components';
import { ConsumptionHistory } from '../components/ConsumptionHistory';
import { ReviewDialog, reviewOutcome, type ReviewAction } from '../components/ReviewDialog';
import { readingsListPath } from '../filters';
import {
  EXCEPTION_COLORS,
  EXCEPTION_SHORT_LABELS,
  FUNCTION_PATH,
  READ_TYPE_LABELS,
  STATUS_LABELS,
  exceptionExplanation,
  formatLocalDate,
  formatRegister,
  formatUnits,
} from '../labels';

const TABS = ['details', 'history', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** One reading: its figures and exceptions, the meter's history, and the journal's record of it. */
export function DetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(readingsGet, { id }, { enabled: id !== '' });
  const [reviewing, setReviewing] = useState<ReviewAction | null>(null);

  const reading = detail.data?.reading;
  // Only an open exception can be decided, and only by someone holding `edit` on the function (readers hold `submit` and must not clear their own).
  const mayReview = reading?.status === 'exception' && can('energy.meterReadings', 'edit');
  const mayReread = reading?.status === 'reread' && can('energy.meterReadings', 'create');
  // An override already waiting for a second supervisor must not be asked for twice.
  const pendingOverride = useRpcQuery(
    approvalsList,
    { box: 'all', status: 'pending', entity: 'meterReading', entityId: id },
    { enabled: mayReview === true },
  );
  const mayAccept = mayReview && pendingOverride.data?.length === 0;

  // The same A / C / R as the review queue; not while a decision dialog is already open.
  useHotkeys(
    mayReview && reviewing === null
      ? [
          ['a', () => mayAccept && setReviewing('accept')],
          ['c', () => setReviewing('correct')],
          ['r', () => setReviewing('reread')],
        ]
      : [],
  );

  if (detail.isPending) {
    return (
      <Stack>
        <Skeleton h={48} />
        <Skeleton h={240} />
      </Stack>
    );
  }
  if (detail.isError || !reading) {
    return (
      <Stack>
        <BackLink />
        <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
      </Stack>
    );
  }

  return (
    <Stack gap={0}>
      <BackLink />
      <PageHeader
        title={`Meter ${reading.meterSerial} · ${formatLocalDate(reading.readDate)}`}
        subtitle={`${reading.accountNo} ${reading.accountName}${reading.routeCode ? ` · route ${reading.routeCode}` : ''} · read by ${reading.readerName}`}
        badge={<StatusBadge status={reading.status} label={STATUS_LABELS[reading.status]} size="md" />}
        actions={
          mayReview ? (
            <>
              {mayAccept ? (
                <Button color="green" variant="light" leftSection={<IconCheck size={16} />} onClick={() => setReviewing('accept')}>
                  Accept
                </Button>
              ) : null}
              <Button variant="light" leftSection={<IconPencil size={16} />} onClick={() => setReviewing('correct')}>
                Correct
              </Button>
              <Button color="yellow" variant="light" leftSection={<IconRepeat size={16} />} onClick={() => setReviewing('reread')}>
                Order re-read
              </Button>
            </>
          ) : mayReread && reading.routeId ? (
            <Button
              component={Link}
              to={`${FUNCTION_PATH}/entry?route=${encodeURIComponent(reading.routeId)}&meter=${encodeURIComponent(reading.meterId)}`}
              leftSection={<IconWalk size={16} />}
            >
              Enter the re-read
            </Button>
          ) : null
        }
      />
      <ApprovalBanner entity="meterReading" entityId={reading.id} />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="history">Meter history</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <DetailsTab reading={reading} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryTab reading={reading} onOpen={(other) => navigate(`${FUNCTION_PATH}/${other.id}?tab=history`)} />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="meterReading" entityId={reading.id} />
        </Tabs.Panel>
      </Tabs>
      <ReviewDialog
        reading={reviewing ? reading : null}
        action={reviewing}
        onClose={() => setReviewing(null)}
        onReviewed={(updated) => notifications.show({ color: updated.status === 'exception' ? 'orange' : 'green', message: reviewOutcome(updated) })}
      />
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to={FUNCTION_PATH} size="sm" mb="xs" w="fit-content">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Readings
      </Group>
    </Anchor>
  );
}

function Figure({ label, value, hint, color }: { label: string; value: string; hint?: ReactNode; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} style={{ fontVariantNumeric: 'tabular-nums' }} lh={1.3}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </div>
  );
}

function DetailsTab({ reading }: { reading: Reading }) {
  const corrected = reading.originalValue !== null && reading.originalValue !== reading.value;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md">
          <SimpleGrid cols={3} mb="md">
            <Figure label="Reading" value={formatRegister(reading.value)} hint={corrected ? `Corrected from ${formatRegister(reading.originalValue)}` : undefined} />
            <Figure
              label="Previous"
              value={formatRegister(reading.previousValue)}
              hint={reading.previousReadDate ? formatLocalDate(reading.previousReadDate) : 'No earlier reading'}
            />
            <Figure label="Consumption" value={formatUnits(reading.consumption)} hint="units" color={reading.consumption < 0 ? 'red' : undefined} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
            <Field label="Read type">{READ_TYPE_LABELS[reading.readType]}</Field>
            <Field label="Skip code">{reading.skipCode ? SKIP_CODES[reading.skipCode] : '—'}</Field>
            <Field label="Purpose">{reading.purpose === 'regular' ? 'Regular read' : reading.purpose === 'removal' ? 'Meter removal' : 'Meter install'}</Field>
            <Field label="Register">{reading.register}</Field>
            <Field label="Entered">
              <DateText value={reading.createdAt} /> · {reading.source === 'import' ? 'imported' : reading.source === 'estimate' ? 'estimated' : 'by hand'}
            </Field>
            <Field label="Reader">{reading.readerName}</Field>
            <Field label="Account">
              <Anchor component={Link} to={readingsListPath({ accountId: reading.accountId })} size="sm">
                {reading.accountNo} {reading.accountName}
              </Anchor>
            </Field>
            <Field label="Meter">
              <Anchor component={Link} to={readingsListPath({ meterId: reading.meterId })} size="sm" ff="monospace">
                {reading.meterSerial}
              </Anchor>
            </Field>
            <Field label="Remark">{reading.remark ?? '—'}</Field>
          </SimpleGrid>
          {reading.resolution || reading.reviewReason ? (
            <Alert mt="md" variant="light" color={reading.status === 'reread' ? 'yellow' : 'green'} title={reviewTitle(reading)}>
              {reading.reviewReason ?? ''}
            </Alert>
          ) : null}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="md">
          <Paper withBorder p="md">
            <Title order={4} fz="md" mb="sm">
              Validation
            </Title>
            {reading.exceptions.length === 0 ? (
              <Group gap="xs">
                <IconCircleCheck size={18} color="var(--mantine-color-green-6)" />
                <Text size="sm">Passed every check.</Text>
              </Group>
            ) : (
              <Stack gap="sm">
                {reading.exceptions.map((exception) => (
                  <div key={exception.code}>
                    <Badge color={EXCEPTION_COLORS[exception.code]} variant="light" radius="sm" mb={2}>
                      {EXCEPTION_SHORT_LABELS[exception.code]}
                    </Badge>
                    <Text size="sm">{exception.message}</Text>
                    <Text size="xs" c="dimmed">
                      Rule: {exceptionExplanation(exception.code)}
                    </Text>
                  </div>
                ))}
              </Stack>
            )}
          </Paper>
          <ExpectedRangeCard reading={reading} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function reviewTitle(reading: Reading): string {
  if (reading.status === 'reread') return 'Re-read ordered';
  if (reading.resolution === 'corrected') return 'Corrected in review';
  if (reading.resolution === 'accepted') return 'Accepted in review';
  return 'Review';
}

/**
 * The range VEE compared this value against. Saved readings keep their exceptions, not the range,
 * so it is worked out again from the route sheet of that read date, which measures each saved
 * read from the read before it (as VEE did when it was entered).
 */
function ExpectedRangeCard({ reading }: { reading: Reading }) {
  const sheet = useRpcQuery(
    routeSheet,
    { routeId: reading.routeId ?? '', readDate: reading.readDate },
    { enabled: reading.routeId !== null && reading.purpose === 'regular' },
  );
  const stop = sheet.data?.rows.find((row) => row.meterId === reading.meterId && row.current?.id === reading.id);
  const expected = stop?.expected;
  return (
    <Paper withBorder p="md">
      <Title order={4} fz="md" mb="sm">
        Expected range
      </Title>
      {sheet.isFetching && !sheet.data ? (
        <Skeleton h={40} />
      ) : !expected ? (
        <Text size="sm" c="dimmed">
          {reading.purpose !== 'regular'
            ? 'Meter exchange reads are not checked against a range.'
            : 'No expected range for this read (no earlier read or not enough history).'}
        </Text>
      ) : (
        <SimpleGrid cols={2} spacing="sm">
          <Field label="Expected consumption">
            {formatUnits(expected.units)} units over {expected.days} days
          </Field>
          <Field label="Acceptable readings">
            {formatRegister(expected.lowRead)} – {formatRegister(expected.highRead)}
          </Field>
        </SimpleGrid>
      )}
    </Paper>
  );
}

function HistoryTab({ reading, onOpen }: { reading: Reading; onOpen(reading: Reading): void }) {
  const meter = useRpcQuery(metersGet, { id: reading.meterId });
  if (meter.isPending) return <Skeleton h={280} />;
  if (meter.isError) return <ErrorAlert error={meter.error} onRetry={() => void meter.refetch()} />;
  const { meter: info, history } = meter.data;
  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Field label="Meter">
          <Text span ff="monospace" size="sm">
            {info.serial}
          </Text>
        </Field>
        <Field label="Dials">{info.dials}</Field>
        <Field label="Multiplier">×{info.multiplier}</Field>
        <Field label="Installed">{formatLocalDate(info.installedOn)}</Field>
        <Field label="Status">
          <StatusBadge status={info.status === 'installed' ? 'active' : 'inactive'} label={info.status === 'installed' ? 'Installed' : `Removed ${formatLocalDate(info.removedOn)}`} />
        </Field>
      </Group>
      <ConsumptionHistory history={history} currentId={reading.id} onOpen={onOpen} />
    </Stack>
  );
}
