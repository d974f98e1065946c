import { Alert, Button, Divider, Group, Paper, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { authLogin, authSetup, systemStatus } from '../../src-shared/contracts/kernel';
import { RpcError, call } from '../api/client';
import { asRpcError } from '../api/errors';
import { useZodForm } from '../api/forms';
import { ErrorAlert } from '../components/ErrorAlert';
import type { SignInResult } from './LoginForm';

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

const pcTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * First run of a fresh store: name the branch, fix its time zone (every daily report buckets by
 * it), and create the first administrator — then sign straight in, no second screen.
 */
export function SetupScreen({ onSignedIn }: { onSignedIn(result: SignInResult): void }) {
  const queryClient = useQueryClient();
  const zones = useMemo(() => {
    const all = timeZones();
    const pc = pcTimeZone();
    return all.includes(pc) ? all : [pc, ...all];
  }, []);
  const form = useZodForm(
    authSetup.input,
    { branchName: '', timeZone: pcTimeZone(), displayName: '', username: 'admin', password: '', confirmPassword: '' },
    ({ confirmPassword: _confirm, ...input }) => input,
  );
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<RpcError | null>(null);
  const [mismatch, setMismatch] = useState(false);

  const submit = form.onSubmit(async (input) => {
    if (form.values.confirmPassword !== input.password) {
      setMismatch(true);
      return;
    }
    setPending(true);
    setProblem(null);
    try {
      await call(authSetup, input);
      const session = await call(authLogin, { username: input.username, password: input.password });
      await queryClient.invalidateQueries({ queryKey: [systemStatus.name] });
      onSignedIn(session);
    } catch (err) {
      const error = asRpcError(err);
      if (!form.applyServerErrors(error)) setProblem(error);
    } finally {
      setPending(false);
    }
  });

  return (
    <div className="plug1-auth-backdrop">
      <Paper withBorder shadow="sm" p="xl" w={560} maw="100%">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="md">
            <div>
              <Title order={1} fz="h3">
                Set up this branch
              </Title>
              <Text size="sm" c="dimmed">
                This store is empty. Name the branch and create its first administrator; you can add the other users
                afterwards under Administration → Users.
              </Text>
            </div>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput label="Branch name" placeholder="e.g. Riverside office" required autoFocus {...form.text('branchName')} />
              <Select
                label="Time zone"
                description="Daily and monthly figures follow it"
                data={zones}
                searchable
                required
                allowDeselect={false}
                value={form.values.timeZone}
                onChange={(zone) => form.setField('timeZone', zone ?? pcTimeZone())}
                error={form.errors.timeZone}
              />
            </SimpleGrid>
            <Divider label="First administrator" labelPosition="left" />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput label="Full name" placeholder="e.g. Amina Okafor" required {...form.text('displayName')} />
              <TextInput label="Username" required spellCheck={false} autoCapitalize="none" {...form.text('username')} />
              <PasswordInput
                label="Password"
                description="At least 10 characters, letters and digits"
                autoComplete="new-password"
                required
                {...form.text('password')}
              />
              <PasswordInput
                label="Repeat password"
                autoComplete="new-password"
                required
                {...form.text('confirmPassword')}
                onChange={(event) => {
                  setMismatch(false);
                  form.setField('confirmPassword', event.currentTarget.value);
                }}
                error={mismatch ? 'The two passwords differ' : undefined}
              />
            </SimpleGrid>
            {problem ? <ErrorAlert error={problem} /> : null}
            {Object.keys(form.errors).length > 0 ? (
              <Alert color="red" p="xs">
                Some fields need attention: see the messages under them.
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button type="submit" loading={pending}>
                Create branch and sign in
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </div>
  );
}
