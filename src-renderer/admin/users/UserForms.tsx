import { Alert, Button, Divider, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLockOpen, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { usersCreate, usersResetPassword, usersUpdate, type User } from '../../../src-shared/contracts/kernel';
import { useZodForm } from '../../api/forms';
import { useRpcMutation, useSession } from '../../api/hooks';
import { DateText } from '../../components/DateText';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { hasFieldIssues } from '../../api/errors';

export interface RoleOption {
  value: string;
  label: string;
}

export const isLocked = (user: User): boolean => user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();

export function userState(user: User): 'active' | 'inactive' | 'locked' {
  if (!user.active) return 'inactive';
  return isLocked(user) ? 'locked' : 'active';
}

export function CreateUserModal({ opened, onClose, roles }: { opened: boolean; onClose(): void; roles: RoleOption[] }) {
  const form = useZodForm(usersCreate.input, { username: '', displayName: '', roleKey: '', password: '' });
  const create = useRpcMutation(usersCreate, { invalidate: ['admin.users.', 'admin.roles.'], notifyErrors: false });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((input) =>
    create.mutate(
      { input },
      {
        onSuccess: (user) => {
          notifications.show({ color: 'green', message: `${user.displayName} can now sign in as “${user.username}”.` });
          close();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );
  return (
    <Modal opened={opened} onClose={close} title="New user" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Full name" required data-autofocus {...form.text('displayName')} />
          <TextInput label="Username" description="Letters, digits, dot, dash or underscore" required spellCheck={false} {...form.text('username')} />
          <Select
            label="Role"
            required
            searchable
            data={roles}
            value={form.values.roleKey || null}
            onChange={(value) => form.setField('roleKey', value ?? '')}
            error={form.errors.roleKey}
          />
          <PasswordInput
            label="Initial password"
            description="At least 10 characters, letters and digits. Tell it to the user in person."
            autoComplete="new-password"
            required
            {...form.text('password')}
          />
          {create.error && !hasFieldIssues(create.error) ? <ErrorAlert error={create.error} /> : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPassword({ user }: { user: User }) {
  const form = useZodForm(usersResetPassword.input, { id: user.id, password: '' });
  const reset = useRpcMutation(usersResetPassword, { invalidate: ['admin.users.'], notifyErrors: false });
  const submit = form.onSubmit((input) =>
    reset.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `New password set for ${user.displayName}; their open sessions were ended.` });
          form.reset();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <PasswordInput
          label="New password"
          description="Ends the user’s open sessions"
          autoComplete="new-password"
          style={{ flex: 1 }}
          {...form.text('password')}
        />
        <Button type="submit" variant="default" loading={reset.isPending}>
          Set password
        </Button>
      </Group>
      {reset.error && !hasFieldIssues(reset.error) ? <ErrorAlert error={reset.error} /> : null}
    </form>
  );
}

/** Edit one user: name and role (saved together, with the row version), status, password. */
export function EditUser({ user, roles, canEdit }: { user: User; roles: RoleOption[]; canEdit: boolean }) {
  const { user: me } = useSession();
  const form = useZodForm(
    usersUpdate.input,
    { displayName: user.displayName, roleKey: user.roleKey },
    (values) => ({ id: user.id, version: user.version, ...values }),
  );
  const update = useRpcMutation(usersUpdate, { invalidate: ['admin.users.', 'admin.roles.', 'auth.me'], notifyErrors: false });
  const [lastAction, setLastAction] = useState<'save' | 'status' | 'unlock' | null>(null);
  const dirty = form.values.displayName !== user.displayName || form.values.roleKey !== user.roleKey;

  const save = form.onSubmit((input) => {
    setLastAction('save');
    update.mutate(
      { input },
      {
        onSuccess: (saved) => notifications.show({ color: 'green', message: `${saved.displayName} saved.` }),
        onError: (error) => form.applyServerErrors(error),
      },
    );
  });

  const patch = (action: 'status' | 'unlock', changes: { active?: boolean; unlock?: boolean }, message: string) => {
    setLastAction(action);
    update.mutate(
      { input: { id: user.id, version: user.version, ...changes } },
      { onSuccess: () => notifications.show({ color: 'green', message }) },
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Text fw={600}>{user.displayName}</Text>
          <Text size="sm" c="dimmed">
            {user.username} · last sign-in <DateText value={user.lastLoginAt} fallback="never" />
          </Text>
        </div>
        <StatusBadge status={userState(user)} />
      </Group>
      {isLocked(user) ? (
        <Alert color="red" p="xs">
          Locked after too many failed sign-ins until <DateText value={user.lockedUntil} />.
        </Alert>
      ) : null}

      <form onSubmit={save} noValidate>
        <Stack gap="sm">
          <TextInput label="Full name" disabled={!canEdit} {...form.text('displayName')} />
          <Select
            label="Role"
            searchable
            disabled={!canEdit}
            allowDeselect={false}
            data={roles}
            value={(form.values.roleKey as string) || null}
            onChange={(value) => form.setField('roleKey', value ?? user.roleKey)}
            error={form.errors.roleKey}
          />
          {update.error && lastAction === 'save' && !hasFieldIssues(update.error) ? <ErrorAlert error={update.error} /> : null}
          {canEdit ? (
            <Group justify="flex-end">
              <Button type="submit" disabled={!dirty} loading={update.isPending && lastAction === 'save'}>
                Save changes
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>

      {canEdit ? (
        <>
          <Divider label="Access" labelPosition="left" />
          <Group gap="xs">
            {user.active ? (
              <Button
                variant="light"
                color="red"
                leftSection={<IconUserOff size={16} />}
                disabled={user.id === me.id}
                loading={update.isPending && lastAction === 'status'}
                onClick={() => patch('status', { active: false }, `${user.displayName} can no longer sign in.`)}
              >
                Deactivate
              </Button>
            ) : (
              <Button
                variant="light"
                color="green"
                leftSection={<IconUserCheck size={16} />}
                loading={update.isPending && lastAction === 'status'}
                onClick={() => patch('status', { active: true }, `${user.displayName} can sign in again.`)}
              >
                Activate
              </Button>
            )}
            {isLocked(user) ? (
              <Button
                variant="light"
                leftSection={<IconLockOpen size={16} />}
                loading={update.isPending && lastAction === 'unlock'}
                onClick={() => patch('unlock', { unlock: true }, `${user.displayName} is unlocked.`)}
              >
                Unlock
              </Button>
            ) : null}
          </Group>
          {user.id === me.id ? (
            <Text size="xs" c="dimmed">
              You cannot deactivate yourself; another administrator can.
            </Text>
          ) : null}
          {update.error && lastAction !== 'save' ? <ErrorAlert error={update.error} /> : null}
          <Divider label="Password" labelPosition="left" />
          <ResetPassword key={user.id} user={user} />
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Your role can view users but not change them.
        </Text>
      )}
    </Stack>
  );
}
