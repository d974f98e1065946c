import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { authChangePassword } from '../../src-shared/contracts/kernel';
import { useZodForm } from '../api/forms';
import { useRpcMutation } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const form = useZodForm(
    authChangePassword.input,
    { currentPassword: '', newPassword: '', repeat: '' },
    ({ repeat: _repeat, ...input }) => input,
  );
  const [mismatch, setMismatch] = useState(false);
  const change = useRpcMutation(authChangePassword, { notifyErrors: false, invalidate: [] });

  const close = () => {
    form.reset();
    change.reset();
    setMismatch(false);
    onClose();
  };

  const submit = form.onSubmit((input) => {
    if (form.values.repeat !== input.newPassword) {
      setMismatch(true);
      return;
    }
    change.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Password changed. Use the new one next time you sign in.' });
          close();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title="Change my password" size="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Current password" autoComplete="current-password" data-autofocus {...form.text('currentPassword')} />
          <PasswordInput
            label="New password"
            description="At least 10 characters, letters and digits"
            autoComplete="new-password"
            {...form.text('newPassword')}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            {...form.text('repeat')}
            onChange={(event) => {
              setMismatch(false);
              form.setField('repeat', event.currentTarget.value);
            }}
            error={mismatch ? 'The two passwords differ' : undefined}
          />
          {change.error && Object.keys(form.errors).length === 0 ? <ErrorAlert error={change.error} /> : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
