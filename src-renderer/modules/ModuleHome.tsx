import { Anchor, Badge, Button, Card, Group, List, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight, IconChecklist, IconClockHour4 } from '@tabler/icons-react';
import { Link } from 'react-router';
import { approvalsList } from '../../src-shared/contracts/kernel';
import { FUNCTIONS, type FunctionKey } from '../../src-shared/permissions';
import { useRpcQuery, useSession } from '../api/hooks';
import { canOpenEntry } from '../app/navigation';
import { DateText } from '../components/DateText';
import { EmptyState } from '../components/EmptyState';
import { KeyboardHint } from '../components/KeyboardHint';
import { PageHeader } from '../components/PageHeader';
import { MODULES, functionEntries, type FunctionEntry, type ModuleKey } from './registry';

/** One line per function, so the home page says what each screen is for before anyone clicks. */
const PURPOSE: Partial<Record<FunctionKey, string>> = {
  'energy.meterReadings': 'Walk a route’s meters, validate each read as it is typed, review exceptions.',
  'energy.billing': 'Trial and post billing runs per cycle, with tariffs, proration and rebills.',
  'energy.counter': 'Take payments at the counter and settle bills oldest first.',
  'energy.installations': 'Follow service orders from request to commissioning against their deadline.',
  'energy.maintenance': 'Preventive schedules and work orders for transformers, pumps and vehicles.',
  'energy.prepaid': 'Sell prepaid credit, recover debt, issue and reprint tokens.',
  'homeServices.scheduling': 'Book appointments into technicians’ free time without double-booking.',
  'homeServices.dispatch': 'Assign the day’s jobs to eligible technicians by skill, zone and capacity.',
  'homeServices.packages': 'Sell session packages and redeem them as visits complete.',
  'homeServices.visits': 'Check-in and check-out evidence, geofence verification, missed visits.',
  'homeServices.subscriptions': 'Plans billed in advance, proration, pause/resume and dunning.',
};

function FunctionCard({ entry }: { entry: FunctionEntry }) {
  return (
    <Card withBorder padding="md">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={36} radius="md">
          {entry.icon}
        </ThemeIcon>
        <Stack gap={4} style={{ flex: 1 }} miw={0}>
          <Anchor component={Link} to={entry.path} fw={600} c="inherit">
            {entry.label}
          </Anchor>
          <Text size="sm" c="dimmed">
            {PURPOSE[entry.key] ?? ''}
          </Text>
        </Stack>
      </Group>
      {entry.quickActions && entry.quickActions.length > 0 ? (
        <Stack gap={4} mt="sm">
          {entry.quickActions.map((action) => (
            <Group key={action.path} justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={action.path} size="sm">
                {action.label}
              </Anchor>
              {action.shortcut ? <KeyboardHint keys={action.shortcut} /> : null}
            </Group>
          ))}
        </Stack>
      ) : null}
      <Group justify="flex-end" mt="sm">
        <Button component={Link} to={entry.path} size="xs" variant="light" rightSection={<IconArrowRight size={14} />}>
          Open
        </Button>
      </Group>
    </Card>
  );
}

function WaitingForMe({ module }: { module: ModuleKey }) {
  const waiting = useRpcQuery(approvalsList, { box: 'waiting' });
  const mine = (waiting.data ?? []).filter((a) => a.status === 'pending' && a.functionKey.startsWith(`${module}.`));
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <IconChecklist size={18} stroke={1.6} />
          <Title order={3} fz="sm">
            Waiting for a decision
          </Title>
        </Group>
        <Anchor component={Link} to="/approvals?box=waiting" size="xs">
          All approvals
        </Anchor>
      </Group>
      {mine.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing in this module is waiting for you.
        </Text>
      ) : (
        <List spacing={6} size="sm" listStyleType="none">
          {mine.slice(0, 6).map((a) => (
            <List.Item key={a.id}>
              <Anchor component={Link} to={`/approvals?box=waiting&id=${encodeURIComponent(a.id)}`} size="sm">
                {a.summary}
              </Anchor>
              <Text size="xs" c="dimmed">
                {a.requestedByName} · <DateText value={a.requestedAt} />
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

/** A module's start page: the functions this role can open with their quick actions, and what waits. */
export function ModuleHome({ module }: { module: ModuleKey }) {
  const session = useSession();
  const info = MODULES.find((m) => m.key === module)!;
  const shipped = functionEntries.filter((e) => e.module === module);
  const open = shipped.filter((e) => canOpenEntry(session, e));
  const planned = FUNCTIONS.filter((f) => f.module === module && !shipped.some((e) => e.key === f.key));

  return (
    <>
      <PageHeader title={info.label} subtitle={`${session.system.branchName} · what you can work on here`} />
      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
        <Stack gap="md" style={{ gridColumn: 'span 2' }}>
          {open.length > 0 ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              {open.map((entry) => (
                <FunctionCard key={entry.key} entry={entry} />
              ))}
            </SimpleGrid>
          ) : shipped.length > 0 ? (
            <Paper withBorder>
              <EmptyState
                title="None of this module’s screens is open to your role"
                description="Ask an administrator to grant “view” on the function you need (Administration → Roles & permissions)."
              />
            </Paper>
          ) : null}
          {planned.length > 0 ? (
            <Paper withBorder p="md">
              <Group gap={6} mb={4}>
                <IconClockHour4 size={18} stroke={1.6} />
                <Title order={3} fz="sm">
                  {shipped.length === 0 ? 'This module’s functions arrive in later releases' : 'Coming in later releases'}
                </Title>
              </Group>
              <Text size="xs" c="dimmed" mb="sm">
                Roles already carry their permissions, so access is ready the day each one ships.
              </Text>
              <Stack gap={8}>
                {planned.map((f) => (
                  <Group key={f.key} justify="space-between" wrap="nowrap" gap="md">
                    <div>
                      <Text size="sm" fw={500}>
                        {f.label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {PURPOSE[f.key]}
                      </Text>
                    </div>
                    <Badge variant="dot" color={session.can(f.key, 'view') ? 'green' : 'gray'} tt="none" style={{ flexShrink: 0 }}>
                      {session.can(f.key, 'view') ? 'Access ready' : 'Not in your role'}
                    </Badge>
                  </Group>
                ))}
              </Stack>
            </Paper>
          ) : null}
        </Stack>
        <div style={{ alignSelf: 'start' }}>
          <WaitingForMe module={module} />
        </div>
      </SimpleGrid>
    </>
  );
}
