import { Anchor, Badge, Button, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAlertTriangle, IconChecklist, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Dashboard, QueueItem } from '../../src-shared/contracts/dashboard';
import { EmptyState } from '../components';
import { functionLabel } from '../components/labels';
import { SEVERITY_COLOR, formatAge } from '../reports/format';

function QueueList({ items, total, more, empty }: { items: QueueItem[]; total: number; more: ReactNode; empty: { title: string; description: string } }) {
  if (items.length === 0) return <EmptyState title={empty.title} description={empty.description} />;
  return (
    <Stack gap={0}>
      {total > items.length ? (
        <Text size="xs" c="dimmed" py={4}>
          The {items.length} most urgent of {total.toLocaleString()}; {more}
        </Text>
      ) : null}
      {items.map((item) => (
        <Group key={`${item.kind}:${item.id}`} justify="space-between" wrap="nowrap" py={8} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <Stack gap={2} miw={0}>
            <Text size="sm" fw={500} lineClamp={2}>
              {item.title}
            </Text>
            <Group gap={6}>
              <Badge size="xs" variant="dot" color={SEVERITY_COLOR[item.severity]} tt="none">
                waiting {formatAge(item.ageHours)}
              </Badge>
              <Text size="xs" c="dimmed" lineClamp={1} title={item.detail ?? undefined}>
                {[item.functionKey ? functionLabel(item.functionKey) : null, item.detail].filter(Boolean).join(' · ')}
              </Text>
            </Group>
          </Stack>
          <Button component={Link} to={item.link} size="compact-sm" variant="light" aria-label={`${item.actionLabel}: ${item.title}`} style={{ flexShrink: 0 }}>
            {item.actionLabel}
          </Button>
        </Group>
      ))}
    </Stack>
  );
}

/** What waits for this user: approvals to decide, exceptions to review, their own unfinished work. */
const TABS = ['approvals', 'exceptions', 'workflows'] as const;

export function ActionQueue({ queue, tab }: { queue: Dashboard['queue']; tab?: string | null }) {
  const { totals } = queue;
  const asked = TABS.find((t) => t === tab);
  const first = asked ?? (queue.approvals.length ? 'approvals' : queue.exceptions.length ? 'exceptions' : 'workflows');
  return (
    <Paper withBorder p="md" h="100%">
      <Text fw={600} size="sm" mb="xs">
        Pending actions
      </Text>
      <Tabs defaultValue={first} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="approvals" leftSection={<IconChecklist size={14} />}>
            Approve ({totals.approvals})
          </Tabs.Tab>
          <Tabs.Tab value="exceptions" leftSection={<IconAlertTriangle size={14} />}>
            Review ({totals.exceptions})
          </Tabs.Tab>
          <Tabs.Tab value="workflows" leftSection={<IconPlayerPlay size={14} />}>
            Continue ({totals.workflows})
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="approvals" pt="xs">
          <QueueList
            items={queue.approvals}
            total={totals.approvals}
            more={
              <Anchor component={Link} to="/approvals?box=waiting" size="xs">
                all in the approvals inbox
              </Anchor>
            }
            empty={{ title: 'Nothing to approve', description: 'Requests you may decide appear here as soon as someone asks.' }} />
        </Tabs.Panel>
        <Tabs.Panel value="exceptions" pt="xs">
          <QueueList
            items={queue.exceptions}
            total={totals.exceptions}
            more="each exception alert opens its full list."
            empty={{ title: 'No exceptions waiting', description: 'Exceptions from your functions appear here, critical and oldest first.' }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="workflows" pt="xs">
          <QueueList
            items={queue.workflows}
            total={totals.workflows}
            more="finish these to see the rest."
            empty={{ title: 'Nothing left half-done', description: 'Work you start and leave (a route walk, a request waiting for approval) appears here to continue.' }}
          />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
