import { Button, CopyButton, Group, PasswordInput, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { syncConfigure, type SyncStatus } from '../../../src-shared/contracts/sync';
import { useZodForm } from '../../api/forms';
import { useRpcMutation } from '../../api/hooks';

interface Values extends Record<string, unknown> {
  hqUrl: string;
  token: string;
  enabled: boolean;
}

/**
 * The connection to HQ, for administrators: HQ's address and the token HQ issued for this branch.
 * The stored token is never shown again; leaving the field empty keeps it.
 */
export function ConnectionForm({ status }: { status: SyncStatus }) {
  // Confirmed here, not in `mutate`'s callbacks: the saved status has a new config version, which
  // remounts this form (its key) before those callbacks would run, and React Query drops them then.
  const configure = useRpcMutation(syncConfigure, {
    invalidate: ['sync.'],
    onSuccess: (next) =>
      notifications.show({ color: 'green', message: next.enabled ? 'Saved: the branch syncs with HQ now and then every interval.' : 'Saved: sync is off.' }),
  });
  const form = useZodForm(syncConfigure.input, { hqUrl: status.hqUrl ?? '', token: '', enabled: status.enabled } satisfies Values, (v) => ({
    hqUrl: v.hqUrl.trim() === '' ? null : v.hqUrl.trim(),
    ...(v.token.trim() === '' ? {} : { token: v.token.trim() }),
    enabled: v.enabled,
    version: status.configVersion,
  }));

  const submit = form.onSubmit((input) =>
    configure.mutate(
      { input },
      { onError: (error) => form.applyServerErrors(error) },
    ),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Connection to HQ">
      <Stack gap="sm">
        <Group gap="xs" align="center">
          <Text size="sm">
            This branch’s id: <Text span ff="monospace">{status.branchId}</Text>
          </Text>
          <CopyButton value={status.branchId}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy: HQ registers the branch under this id'} withArrow>
                <Button size="compact-xs" variant="subtle" onClick={copy} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} aria-label="Copy branch id">
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <TextInput label="HQ address" placeholder="https://hq.example.com" {...form.text('hqUrl')} />
        <PasswordInput
          label="Branch token"
          description={status.hasToken ? 'A token is stored. Leave this empty to keep it; paste a new one after HQ rotated it.' : 'The token HQ issued when it registered this branch.'}
          placeholder={status.hasToken ? '•••••••• (stored)' : 'hqb_…'}
          autoComplete="off"
          {...form.text('token')}
        />
        <Switch
          label="Sync with HQ"
          description="Upload the journal and download master data every interval (Settings: sync.intervalMinutes)."
          checked={form.values.enabled}
          onChange={(e) => form.setField('enabled', e.currentTarget.checked)}
          error={form.errors.enabled}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={configure.isPending}>
            Save connection
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
