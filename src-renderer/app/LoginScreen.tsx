import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { SystemStatus } from '../api/session';
import { LoginForm, type SignInResult } from './LoginForm';

const DEMO_USERS = ['admin', 'supervisor', 'cashier', 'reader', 'billing', 'technician', 'dispatcher', 'planner', 'auditor'];

export function LoginScreen({ system, onSignedIn }: { system: SystemStatus; onSignedIn(result: SignInResult): void }) {
  // Remounting the form with a chosen demo user is the simplest way to prefill it.
  const [demoUser, setDemoUser] = useState('');
  return (
    <div className="plug1-auth-backdrop">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        <Stack gap="md">
          <div>
            <Group gap="xs" justify="space-between">
              <Title order={1} fz="h3">
                Plug1 Operations
              </Title>
              {system.demo ? (
                <Badge color="orange" variant="light">
                  Demo
                </Badge>
              ) : null}
            </Group>
            <Text size="sm" c="dimmed">
              {system.branchName} · sign in to continue
            </Text>
          </div>
          <LoginForm key={demoUser} initialUsername={demoUser} timeZone={system.timeZone} onSignedIn={onSignedIn} />
          {system.demo ? (
            <Text size="xs" c="dimmed">
              Demo store: every user’s password is <b>demo1234</b>. Pick one:{' '}
              {DEMO_USERS.map((name, index) => (
                <span key={name}>
                  {index > 0 ? ', ' : ''}
                  <Anchor component="button" type="button" size="xs" onClick={() => setDemoUser(name)}>
                    {name}
                  </Anchor>
                </span>
              ))}
              .
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              Forgot your password or locked out? An administrator can reset or unlock your account under Users.
            </Text>
          )}
          <Text size="xs" c="dimmed" ta="right">
            Version {system.appVersion}
          </Text>
        </Stack>
      </Paper>
    </div>
  );
}
