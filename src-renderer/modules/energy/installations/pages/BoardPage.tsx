import { Anchor, Badge, Button, Card, Group, Paper, ScrollArea, SimpleGrid, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconAlertTriangle, IconClockPause, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { STAGE_LABELS, ordersDashboard, ordersList, type ServiceOrder, type Stage } from '../../../../../src-shared/contracts/energy/installations';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DateText, EmptyState, ErrorAlert, PageHeader, useBranchTimeZone } from '../../../../components';
import { PriorityBadge, SlaBadge, StageBadge } from '../components/Badges';
import { FunctionTabs } from '../components/FunctionTabs';
import { ordersListPath } from '../filters';
import { FUNCTION_PATH, QUEUE_STAGES, orderPath } from '../labels';
import { useToday } from '../shared/ui';

function Kpi({ label, value, to, color }: { label: string; value: number; to: string; color?: string }) {
  return (
    <Card withBorder padding="sm" component={Link} to={to} aria-label={`${label}: ${value}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={value > 0 ? color : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value.toLocaleString()}
      </Text>
    </Card>
  );
}

function QueueCard({ order, timeZone }: { order: ServiceOrder; timeZone?: string }) {
  const navigate = useNavigate();
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      component="button"
      type="button"
      onClick={() => navigate(orderPath(order.id))}
      style={{ textAlign: 'left', cursor: 'pointer', width: '100%', background: 'var(--mantine-color-body)' }}
      aria-label={`${order.orderNo} ${order.customerName}`}
    >
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" ff="monospace" c="dimmed">
          {order.orderNo}
        </Text>
        <PriorityBadge priority={order.priority} />
      </Group>
      <Text size="sm" fw={500} lineClamp={1}>
        {order.customerName}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={1} mb={4}>
        {order.address}
      </Text>
      <Group gap={4}>
        <SlaBadge sla={order.sla} timeZone={timeZone} />
        {order.onHold ? <IconClockPause size={16} color="var(--mantine-color-yellow-7)" aria-label="On hold" /> : null}
      </Group>
    </Paper>
  );
}

/** One open stage's queue, soonest deadline first (the server orders a stage's list that way). */
function QueueColumn({ stage, count, breached, timeZone }: { stage: Stage; count: number; breached: number; timeZone?: string }) {
  const list = useRpcQuery(ordersList, { stage, limit: 25 });
  return (
    <Paper withBorder p="xs" bg="var(--mantine-color-default-hover)" aria-label={`${STAGE_LABELS[stage]} queue`} role="region">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Anchor component={Link} to={ordersListPath({ stage })} fw={600} size="sm" c="inherit">
          {STAGE_LABELS[stage]}
        </Anchor>
        <Group gap={4}>
          {breached > 0 ? (
            <Badge color="red" size="sm" variant="filled" aria-label={`${breached} breached`}>
              {breached}
            </Badge>
          ) : null}
          <Badge color="gray" size="sm" variant="light">
            {count}
          </Badge>
        </Group>
      </Group>
      <ScrollArea.Autosize mah={520}>
        <Stack gap={6}>
          {list.isPending ? <Skeleton h={70} /> : null}
          {(list.data?.rows ?? []).map((order) => (
            <QueueCard key={order.id} order={order} timeZone={timeZone} />
          ))}
          {list.data && list.data.rows.length === 0 ? (
            <Text size="xs" c="dimmed" ta="center" py="sm">
              Nothing waiting here.
            </Text>
          ) : null}
          {list.data && list.data.total > list.data.rows.length ? (
            <Anchor component={Link} to={ordersListPath({ stage })} size="xs" ta="center">
              All {list.data.total} in {STAGE_LABELS[stage].toLowerCase()}
            </Anchor>
          ) : null}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}

/**
 * Commissioned orders whose paperwork still has to be closed: the last queue, laid out under the
 * board in the same column widths so the five open stages keep room to be read.
 */
function ClosingQueue({ count, timeZone }: { count: number; timeZone?: string }) {
  const list = useRpcQuery(ordersList, { stage: 'commissioned', limit: 10 });
  const rows = list.data?.rows ?? [];
  return (
    <Paper withBorder p="xs" mb="md" bg="var(--mantine-color-default-hover)" aria-label="Waiting to be closed queue" role="region">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Anchor component={Link} to={ordersListPath({ stage: 'commissioned' })} fw={600} size="sm" c="inherit">
          Commissioned — waiting to be closed
        </Anchor>
        <Badge color="gray" size="sm" variant="light">
          {count}
        </Badge>
      </Group>
      {list.isPending ? <Skeleton h={70} /> : null}
      {list.data && rows.length === 0 ? (
        <Text size="xs" c="dimmed" py={4}>
          Nothing waiting: every commissioned order has its paperwork closed.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }} spacing={6}>
          {rows.map((order) => (
            <QueueCard key={order.id} order={order} timeZone={timeZone} />
          ))}
        </SimpleGrid>
      )}
      {list.data && list.data.total > rows.length ? (
        <Anchor component={Link} to={ordersListPath({ stage: 'commissioned' })} size="xs" display="block" ta="center" mt={6}>
          All {list.data.total} waiting to be closed
        </Anchor>
      ) : null}
    </Paper>
  );
}

/**
 * The installation desk: how many orders are open, late, close to their deadline or waiting on
 * the customer; the work queue of every stage; the orders to act on first; and the latest activity.
 */
export function BoardPage() {
  const { can } = useSession();
  const timeZone = useBranchTimeZone();
  const today = useToday();
  const dashboard = useRpcQuery(ordersDashboard, {}, { refetchInterval: 60_000 });
  const data = dashboard.data;

  return (
    <Stack gap={0}>
      <PageHeader
        title="Service installation tracking"
        subtitle="Work queues by stage, soonest deadline first. Deadlines run from receipt to commissioning and stop while an order waits on the customer."
        actions={
          can('energy.installations', 'create') ? (
            <Button component={Link} to={`${FUNCTION_PATH}/new`} leftSection={<IconPlus size={16} />}>
              New service request
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      {dashboard.isError ? <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {data ? (
        <SimpleGrid cols={{ base: 2, md: 6 }} spacing="sm" mb="md">
          <Kpi label="Open orders" value={data.kpis.open} to={ordersListPath({})} />
          <Kpi label="Received today" value={data.kpis.openedToday} to={ordersListPath({ from: today, to: today })} />
          <Kpi
            label="Commissioned this week"
            value={data.kpis.commissionedThisWeek}
            to={`${FUNCTION_PATH}/report?period=week&from=${data.week.from}&to=${data.week.to}`}
            color="green"
          />
          <Kpi label="Deadline breached" value={data.kpis.breached} to={ordersListPath({ sla: 'breached' })} color="red" />
          <Kpi label="At risk" value={data.kpis.atRisk} to={ordersListPath({ sla: 'at_risk' })} color="orange" />
          <Kpi label="On hold" value={data.kpis.onHold} to={ordersListPath({ sla: 'paused' })} color="yellow.8" />
        </SimpleGrid>
      ) : (
        <Skeleton h={80} mb="md" />
      )}

      <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }} spacing="sm" mb="md">
        {QUEUE_STAGES.map((stage) => {
          const q = data?.queue.find((x) => x.stage === stage);
          return <QueueColumn key={stage} stage={stage} count={q?.count ?? 0} breached={q?.breached ?? 0} timeZone={timeZone} />;
        })}
      </SimpleGrid>
      <ClosingQueue count={data?.queue.find((x) => x.stage === 'commissioned')?.count ?? 0} timeZone={timeZone} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Group gap={6} mb="sm">
            <IconAlertTriangle size={18} color="var(--mantine-color-red-6)" />
            <Title order={3} fz="sm">
              Act on these first
            </Title>
          </Group>
          {data && data.exceptions.length === 0 ? (
            <EmptyState title="Every open order is on track" description="Orders past or close to their deadline will be listed here, the most urgent first." />
          ) : (
            <Stack gap={6}>
              {(data?.exceptions ?? []).map((order) => (
                <Group key={order.id} justify="space-between" wrap="nowrap">
                  <div style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={orderPath(order.id)} size="sm" fw={500}>
                      {order.orderNo} {order.customerName}
                    </Anchor>
                    <Group gap={4}>
                      <StageBadge stage={order.stage} />
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {order.address}
                      </Text>
                    </Group>
                  </div>
                  <SlaBadge sla={order.sla} timeZone={timeZone} />
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} fz="sm" mb="sm">
            Latest activity
          </Title>
          {data && data.recent.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing has happened yet.
            </Text>
          ) : (
            <Timeline bulletSize={12} lineWidth={2}>
              {(data?.recent ?? []).map((event) => (
                <Timeline.Item key={event.id}>
                  <Text size="sm">
                    <Anchor component={Link} to={orderPath(event.orderId)} size="sm">
                      {event.orderNo}
                    </Anchor>{' '}
                    {describeEvent(event)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {event.actorName} · <DateText value={event.at} span inherit />
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

export function describeEvent(event: { kind: string; fromStage: Stage | null; toStage: Stage | null; text: string | null }): string {
  switch (event.kind) {
    case 'created':
      return 'requested';
    case 'stage':
      return event.fromStage === event.toStage ? `${STAGE_LABELS[event.toStage!].toLowerCase()} again` : `moved to ${STAGE_LABELS[event.toStage!].toLowerCase()}`;
    case 'hold':
      return `put on hold${event.text ? `: ${event.text}` : ''}`;
    case 'resume':
      return 'resumed';
    case 'note':
      return `note: ${event.text ?? ''}`;
    case 'attachment':
      return `attachment: ${event.text ?? ''}`;
    case 'cancelled':
      return `cancelled: ${event.text ?? ''}`;
    default:
      return 'updated';
  }
}
