import { Anchor, Button, Group, Paper, Select, Stack, Switch, Text, Timeline as MantineTimeline } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DASHBOARDS, type Dashboard } from '../../src-shared/contracts/dashboard';
import type { ModuleKey } from '../../src-shared/contracts/reports';
import { useRpcQuery, useSession } from '../api/hooks';
import { DateText, ErrorAlert, humanizeKey } from '../components';

const PAGE = 15;

/** The module's recent transactions from the audit journal, newest first, by function and by me. */
export function Timeline({ module, functions }: { module: ModuleKey; functions: Dashboard['functions'] }) {
  const { user } = useSession();
  const [functionKey, setFunctionKey] = useState<string | null>(null);
  const [mine, setMine] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const events = useRpcQuery(
    DASHBOARDS[module].timeline,
    { limit, ...(functionKey ? { functionKey } : {}), ...(mine ? { actorId: user.id } : {}) },
    { keepPrevious: true, refetchInterval: 30_000 },
  );
  const rows = events.data?.rows ?? [];
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Group gap={6}>
          <IconHistory size={18} stroke={1.6} />
          <Text fw={600} size="sm">
            Recent transactions
          </Text>
        </Group>
        <Group gap="sm">
          <Select
            aria-label="Timeline function"
            placeholder="All functions"
            data={functions.map((f) => ({ value: f.key, label: f.label }))}
            value={functionKey}
            onChange={(v) => {
              setFunctionKey(v);
              setLimit(PAGE);
            }}
            clearable
            size="xs"
            w={240}
          />
          <Switch label="Only mine" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} size="xs" />
        </Group>
      </Group>
      {events.isError ? <ErrorAlert error={events.error} onRetry={() => void events.refetch()} /> : null}
      {rows.length === 0 && events.isSuccess ? (
        <Text size="sm" c="dimmed">
          No transactions yet{functionKey || mine ? ' with these filters' : ''}. Every change in this module shows here as it is saved.
        </Text>
      ) : (
        <MantineTimeline bulletSize={10} lineWidth={1} aria-label="Recent transactions">
          {rows.map((e) => (
            <MantineTimeline.Item
              key={e.seq}
              title={
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {e.actorName ?? 'System'} · {e.action}
                  </Text>
                  {e.link ? (
                    <Anchor component={Link} to={e.link} size="sm">
                      {humanizeKey(e.entity)} {e.entityId.slice(-6)}
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {humanizeKey(e.entity)} {e.entityId.slice(-6)}
                    </Text>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                <DateText value={e.at} size="xs" /> · {e.functionLabel}
                {e.reason ? ` · “${e.reason}”` : ''}
                {e.approvalId ? ' · approved by a second person' : ''}
              </Text>
            </MantineTimeline.Item>
          ))}
        </MantineTimeline>
      )}
      {events.data?.nextCursor ? (
        <Stack align="center" mt="sm">
          <Button size="xs" variant="subtle" loading={events.isFetching} onClick={() => setLimit((l) => Math.min(500, l + PAGE * 2))}>
            Show more
          </Button>
        </Stack>
      ) : null}
    </Paper>
  );
}
