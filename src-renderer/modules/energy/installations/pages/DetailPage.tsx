import { Alert, Anchor, Badge, Button, Grid, Group, List, Menu, Paper, SimpleGrid, Skeleton, Stack, Table, Tabs, Text, ThemeIcon, Timeline, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconCheck, IconChevronDown, IconCircleDashed, IconClockPause, IconDots, IconPaperclip, IconPencil, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ORDER_TYPES, STAGE_LABELS, SURVEY_RESULTS, ordersGet, type ServiceOrder } from '../../../../../src-shared/contracts/energy/installations';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DateText, EmptyState, ErrorAlert, Field, KeyboardHint, PageHeader, useBranchTimeZone } from '../../../../components';
import { PriorityBadge, SlaBadge, StageBadge } from '../components/Badges';
import { FunctionTabs } from '../components/FunctionTabs';
import { OrderDialog, type OrderAction } from '../components/OrderDialogs';
import { STEP_OF_STAGE, StageDialog, type StageStep } from '../components/StageDialog';
import { FUNCTION_PATH, NEXT_STEP_LABEL, QUEUE_STAGES } from '../labels';
import { formatHours } from '../shared/ui';
import { describeEvent } from './BoardPage';

const TABS = ['details', 'timeline', 'checklists', 'attachments', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** Which permission each step needs: survey, schedule and install are edits; approval and commissioning are submits. */
const STEP_VERB: Record<StageStep, 'edit' | 'submit'> = { survey: 'edit', approve: 'submit', schedule: 'edit', install: 'edit', commission: 'submit', close: 'submit' };

type Detail = NonNullable<ReturnType<typeof useRpcQuery<typeof ordersGet>>['data']>;

/** One service order: its stage and deadline, the next step and only the actions its state allows. */
export function DetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const timeZone = useBranchTimeZone();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(ordersGet, { id }, { enabled: id !== '' });
  const [step, setStep] = useState<StageStep | null>(null);
  const [action, setAction] = useState<OrderAction | null>(null);

  const order = detail.data?.order;
  const open = order !== undefined && QUEUE_STAGES.includes(order.stage);
  const nextStep = order && !order.onHold ? STEP_OF_STAGE[order.stage] : undefined;
  const mayStep = nextStep !== undefined && can('energy.installations', STEP_VERB[nextStep]);
  const mayEdit = can('energy.installations', 'edit');


  useHotkeys(
    order
      ? [
          ['n', () => mayStep && setStep(nextStep!)],
          ['h', () => open && mayEdit && setAction(order.onHold ? 'resume' : 'hold')],
        ]
      : [],
  );

  if (detail.isPending) return <Skeleton h={320} />;
  if (detail.isError || !order) {
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
        title={`${order.orderNo} · ${order.customerName}`}
        subtitle={`${ORDER_TYPES[order.type]} · ${order.address}${order.accountNo ? ` · account ${order.accountNo}` : ''}`}
        badge={
          <Group gap={6}>
            <StageBadge stage={order.stage} size="md" />
            {order.stage !== 'cancelled' ? <SlaBadge sla={order.sla} timeZone={timeZone} /> : null}
            {order.onHold ? (
              <Badge color="yellow" leftSection={<IconClockPause size={12} />} variant="light">
                On hold
              </Badge>
            ) : null}
          </Group>
        }
        actions={
          <>
            {order.onHold && mayEdit ? (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => setAction('resume')}>
                Resume
              </Button>
            ) : null}
            {mayStep ? (
              <Button leftSection={<IconCheck size={16} />} onClick={() => setStep(nextStep!)} rightSection={<KeyboardHint keys="n" />}>
                {NEXT_STEP_LABEL[order.stage]}
              </Button>
            ) : null}
            {mayEdit || (open && can('energy.installations', 'void')) ? (
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />} leftSection={<IconDots size={16} />}>
                    More
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {order.stage === 'surveyed' && can('energy.installations', 'edit') && !order.onHold ? (
                    <Menu.Item onClick={() => setStep('survey')}>Survey again</Menu.Item>
                  ) : null}
                  {order.stage === 'scheduled' && can('energy.installations', 'edit') && !order.onHold ? (
                    <Menu.Item onClick={() => setStep('schedule')}>Reschedule</Menu.Item>
                  ) : null}
                  {open && mayEdit && !order.onHold ? <Menu.Item onClick={() => setAction('hold')}>Put on hold (waiting on customer)</Menu.Item> : null}
                  {open && mayEdit && order.stage !== 'installed' ? (
                    <Menu.Item component={Link} to={`${FUNCTION_PATH}/${order.id}/edit`} leftSection={<IconPencil size={14} />}>
                      Edit request
                    </Menu.Item>
                  ) : null}
                  {mayEdit ? <Menu.Item onClick={() => setAction('note')}>Add a note</Menu.Item> : null}
                  {mayEdit ? (
                    <Menu.Item onClick={() => setAction('attachment')} leftSection={<IconPaperclip size={14} />}>
                      Attach a document
                    </Menu.Item>
                  ) : null}
                  {open && can('energy.installations', 'void') ? (
                    <Menu.Item color="red" onClick={() => setAction('cancel')}>
                      Cancel the order
                    </Menu.Item>
                  ) : null}
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity="serviceOrder" entityId={order.id} />
      {order.onHold ? (
        <Alert color="yellow" icon={<IconClockPause size={18} />} mb="md" title="Waiting on the customer">
          {order.holdReason} — the deadline clock is stopped until the order is resumed.
        </Alert>
      ) : null}
      <StageProgress order={order} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="checklists">Checklists</Tabs.Tab>
          <Tabs.Tab value="attachments">Attachments ({detail.data.attachments.length})</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <DetailsTab order={order} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <TimelineTab detail={detail.data} />
        </Tabs.Panel>
        <Tabs.Panel value="checklists">
          <ChecklistsTab detail={detail.data} />
        </Tabs.Panel>
        <Tabs.Panel value="attachments">
          <AttachmentsTab detail={detail.data} onAdd={mayEdit ? () => setAction('attachment') : undefined} />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="serviceOrder" entityId={order.id} />
        </Tabs.Panel>
      </Tabs>
      <StageDialog order={order} step={step} checklist={step === nextStep ? detail.data.nextChecklist : []} onClose={() => setStep(null)} />
      <OrderDialog order={order} action={action} onClose={() => setAction(null)} />
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to={`${FUNCTION_PATH}/orders`} size="sm" mb="xs" w="fit-content">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Service orders
      </Group>
    </Anchor>
  );
}

const PATH: ServiceOrder['stage'][] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned', 'closed'];

/** Where the order is on its way from request to closing. */
function StageProgress({ order }: { order: ServiceOrder }) {
  const reached = order.stage === 'cancelled' ? -1 : PATH.indexOf(order.stage);
  return (
    <Group gap={4} mb="md" wrap="wrap" aria-label="Stages">
      {PATH.map((stage, i) => (
        <Group key={stage} gap={4} wrap="nowrap">
          <ThemeIcon size={18} radius="xl" variant={i <= reached ? 'filled' : 'light'} color={i <= reached ? 'blue' : 'gray'}>
            {i <= reached ? <IconCheck size={12} /> : <IconCircleDashed size={12} />}
          </ThemeIcon>
          <Text size="sm" fw={stage === order.stage ? 700 : 400} c={i <= reached ? undefined : 'dimmed'}>
            {STAGE_LABELS[stage]}
          </Text>
          {i < PATH.length - 1 ? (
            <Text c="dimmed" size="sm">
              →
            </Text>
          ) : null}
        </Group>
      ))}
      {order.stage === 'cancelled' ? <Badge color="gray">Cancelled</Badge> : null}
    </Group>
  );
}

function DetailsTab({ order }: { order: ServiceOrder }) {
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md">
          <Title order={4} fz="md" mb="sm">
            Request
          </Title>
          <SimpleGrid cols={2} spacing="sm">
            <Field label="Type">{ORDER_TYPES[order.type]}</Field>
            <Field label="Priority">
              <PriorityBadge priority={order.priority} />
            </Field>
            <Field label="Customer">{order.customerName}</Field>
            <Field label="Phone">{order.phone}</Field>
            <Field label="Address">{order.address}</Field>
            <Field label="Account">{order.accountNo}</Field>
            <Field label="Route">{order.routeCode}</Field>
            <Field label="Received">
              <DateText value={order.receivedAt} size="sm" /> by {order.createdByName}
            </Field>
            <Field label="Allowance">
              {order.sla.hours} h{order.sla.pausedHours > 0 ? ` + ${formatHours(order.sla.pausedHours)} on hold` : ''}
            </Field>
            <Field label="Deadline">{order.sla.dueAt ? <DateText value={order.sla.dueAt} size="sm" /> : order.onHold ? 'Stopped while on hold' : '—'}</Field>
          </SimpleGrid>
          {order.description ? (
            <Text size="sm" mt="sm">
              {order.description}
            </Text>
          ) : null}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md">
          <Title order={4} fz="md" mb="sm">
            Work
          </Title>
          <SimpleGrid cols={2} spacing="sm">
            <Field label="Survey">{order.surveyResult ? `${SURVEY_RESULTS[order.surveyResult]} (${order.surveyedByName})` : null}</Field>
            <Field label="Approved">{order.approvedByName ? `${order.approvedByName}` : null}</Field>
            <Field label="Crew">{order.crew}</Field>
            <Field label="Scheduled for">{order.scheduledDate ? <DateText value={order.scheduledDate} size="sm" /> : null}</Field>
            <Field label="Installed">
              {order.installedOn ? (
                <>
                  <DateText value={order.installedOn} size="sm" span /> by {order.installedByName}
                </>
              ) : null}
            </Field>
            <Field label="Meter">{order.meterSerial ? `${order.meterSerial} (${order.meterDials} dials, ×${order.meterMultiplier})` : null}</Field>
            <Field label="Commissioned">
              {order.commissionedOn ? (
                <>
                  <DateText value={order.commissionedOn} size="sm" span /> by {order.commissionedByName}
                </>
              ) : null}
            </Field>
            <Field label="Initial read">{order.initialRead}</Field>
            {order.removalRead !== null ? <Field label="Final read of the old meter">{order.removalRead}</Field> : null}
            {order.cancelReason ? <Field label="Cancelled because">{order.cancelReason}</Field> : null}
          </SimpleGrid>
          {order.surveyNotes ? (
            <Text size="sm" mt="sm">
              {order.surveyNotes}
            </Text>
          ) : null}
          {order.materials.length > 0 ? (
            <>
              <Text size="xs" c="dimmed" mt="sm">
                Materials
              </Text>
              <List size="sm">
                {order.materials.map((m) => (
                  <List.Item key={m.item}>
                    {m.quantity} {m.unit} {m.item}
                  </List.Item>
                ))}
              </List>
            </>
          ) : null}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function TimelineTab({ detail }: { detail: Detail }) {
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Timeline bulletSize={14} lineWidth={2} active={detail.timeline.length - 1}>
          {detail.timeline.map((event) => (
            <Timeline.Item key={event.id} title={<Text size="sm" fw={600}>{describeEvent(event)}</Text>}>
              {event.kind === 'stage' && event.text ? <Text size="sm">{event.text}</Text> : null}
              <Text size="xs" c="dimmed">
                {event.actorName} · <DateText value={event.at} span inherit />
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="md">
          <Title order={4} fz="md" mb="sm">
            Time per stage
          </Title>
          <Table aria-label="Time per stage">
            <Table.Tbody>
              {detail.stageDurations.map((d) => (
                <Table.Tr key={d.stage}>
                  <Table.Td>
                    {STAGE_LABELS[d.stage]}
                    {d.current ? ' (now)' : ''}
                  </Table.Td>
                  <Table.Td ta="right">{formatHours(d.hours)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            Working time: hours on hold are left out.
          </Text>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function ChecklistsTab({ detail }: { detail: Detail }) {
  const lists = detail.checklists.filter((c) => c.items.length > 0);
  if (lists.length === 0) {
    return <EmptyState title="No checklists set up" description="Checklists per stage are defined in Settings (installations.checklists); none are set at this branch." />;
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }}>
      {lists.map((list) => (
        <Paper key={list.stage} withBorder p="sm">
          <Text fw={600} size="sm" mb={6}>
            {STAGE_LABELS[list.stage]}
          </Text>
          <Stack gap={4}>
            {list.items.map((item) => (
              <Group key={item.key} gap={6} wrap="nowrap" align="flex-start">
                <ThemeIcon size={16} radius="xl" color={item.checkedAt ? 'green' : 'gray'} variant={item.checkedAt ? 'filled' : 'light'}>
                  {item.checkedAt ? <IconCheck size={10} /> : <IconCircleDashed size={10} />}
                </ThemeIcon>
                <div>
                  <Text size="sm">
                    {item.label}
                    {item.required ? ' *' : ''}
                  </Text>
                  {item.checkedAt ? (
                    <Text size="xs" c="dimmed">
                      {item.checkedByName} · <DateText value={item.checkedAt} span inherit />
                    </Text>
                  ) : null}
                </div>
              </Group>
            ))}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function AttachmentsTab({ detail, onAdd }: { detail: Detail; onAdd?: () => void }) {
  if (detail.attachments.length === 0) {
    return (
      <EmptyState
        title="No documents attached"
        description="Attach site plans, signed job cards or test certificates by where they are kept (a path on the file share, a scan number)."
        action={onAdd ? <Button onClick={onAdd}>Attach a document</Button> : undefined}
      />
    );
  }
  return (
    <Table aria-label="Attachments">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Document</Table.Th>
          <Table.Th>Where</Table.Th>
          <Table.Th>Added</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {detail.attachments.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>{a.label}</Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {a.fileRef}
              </Text>
            </Table.Td>
            <Table.Td>
              {a.addedByName} · <DateText value={a.addedAt} span inherit />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
