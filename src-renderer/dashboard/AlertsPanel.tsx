import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconBellRinging } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Alert } from '../../src-shared/contracts/dashboard';
import { functionLabel } from '../components/labels';
import { SEVERITY_COLOR, formatAge } from '../reports/format';

/** Exception alerts by severity: how many of each kind are open, and how long the oldest has waited. */
export function AlertsPanel({ alerts }: { alerts: Alert[] }) {
  const open = alerts.filter((a) => a.count > 0);
  const clear = alerts.filter((a) => a.count === 0);
  return (
    <Paper withBorder p="md" h="100%">
      <Group gap={6} mb="xs">
        <IconBellRinging size={18} stroke={1.6} />
        <Text fw={600} size="sm">
          Exception alerts
        </Text>
      </Group>
      {open.length === 0 ? (
        <Text size="sm" c="dimmed">
          {alerts.length ? 'Nothing open: every exception of your functions has been dealt with.' : 'None of your functions reports exceptions yet.'}
        </Text>
      ) : (
        <Stack gap={8} role="list" aria-label="Exception alerts">
          {open.map((a) => (
            <Group key={`${a.functionKey}:${a.kind}`} justify="space-between" wrap="nowrap" role="listitem">
              <Stack gap={0} miw={0}>
                <Anchor component={Link} to={a.link} size="sm" fw={500} lineClamp={2}>
                  {a.label}
                </Anchor>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {a.severity === 'critical' ? 'Critical · ' : ''}oldest {formatAge(a.ageHours)} · {functionLabel(a.functionKey)}
                </Text>
              </Stack>
              <Badge color={SEVERITY_COLOR[a.severity]} variant={a.severity === 'critical' ? 'filled' : 'light'} style={{ flexShrink: 0 }} aria-label={`${a.count} open, ${a.severity}`}>
                {a.count.toLocaleString()}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
      {clear.length > 0 && open.length > 0 ? (
        <Text size="xs" c="dimmed" mt="sm">
          Clear: {clear.map((a) => a.label.toLowerCase()).join(', ')}.
        </Text>
      ) : null}
    </Paper>
  );
}
