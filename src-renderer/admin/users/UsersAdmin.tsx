import { Button, Drawer, Group, Paper, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { rolesList, usersList, type User } from '../../../src-shared/contracts/kernel';
import { useRpcQuery, useSession } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateText } from '../../components/DateText';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { pluralize } from '../../components/labels';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { CreateUserModal, EditUser, userState, type RoleOption } from './UserForms';

const columns: DataColumn<User>[] = [
  {
    key: 'displayName',
    header: 'Name',
    render: (u) => (
      <div>
        <Text size="sm" fw={500}>
          {u.displayName}
        </Text>
        <Text size="xs" c="dimmed">
          {u.username}
        </Text>
      </div>
    ),
  },
  { key: 'roleName', header: 'Role', width: 200 },
  { key: 'status', header: 'Status', width: 110, render: (u) => <StatusBadge status={userState(u)} /> },
  { key: 'lastLoginAt', header: 'Last sign-in', width: 170, render: (u) => <DateText value={u.lastLoginAt} fallback="never" /> },
];

/** Users of the branch: who may sign in, with which role; create, edit, (de)activate, unlock, reset. */
export function UsersAdmin() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [showInactive, setShowInactive] = useState(true);
  const [createOpened, createModal] = useDisclosure(false);
  const openId = params.get('id');

  const users = useRpcQuery(usersList, { ...(debounced ? { search: debounced } : {}), includeInactive: showInactive }, { keepPrevious: true });
  const roles = useRpcQuery(rolesList, {});
  const roleOptions = useMemo<RoleOption[]>(
    () => (roles.data?.roles ?? []).map((r) => ({ value: r.key, label: r.name })),
    [roles.data],
  );
  const rows = users.data ?? [];
  const selected = rows.find((u) => u.id === openId) ?? null;

  const setOpen = (id: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set('id', id);
      else next.delete('id');
      return next;
    });

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Who may sign in at this branch, and with which role. Every change is audited."
        actions={
          can('admin.users', 'create') ? (
            <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open}>
              New user
            </Button>
          ) : undefined
        }
      />
      <Group mb="sm" gap="md">
        <TextInput
          placeholder="Find by name or username"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
          aria-label="Find users"
        />
        <Switch label="Show deactivated users" checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
      </Group>
      {users.isError ? (
        <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Users"
            rows={rows}
            columns={columns}
            rowKey="id"
            loading={users.isPending || users.isPlaceholderData}
            onOpen={(u) => setOpen(u.id)}
            totalLabel={rows.length > 0 ? pluralize(rows.length, 'user') : undefined}
            empty={
              <EmptyState
                icon={<IconUsers size={24} stroke={1.5} />}
                title={debounced ? `No user matches “${debounced}”` : 'No users yet'}
                description={debounced ? 'Check the spelling, or search by username.' : 'Create a user for each person who works at this branch.'}
                action={
                  debounced ? (
                    <Button variant="light" onClick={() => setSearch('')}>
                      Clear the search
                    </Button>
                  ) : undefined
                }
              />
            }
          />
        </Paper>
      )}
      <Drawer opened={selected !== null} onClose={() => setOpen(null)} title="User" size="md">
        {selected ? <EditUser key={`${selected.id}-${selected.version}`} user={selected} roles={roleOptions} canEdit={can('admin.users', 'edit')} /> : null}
      </Drawer>
      <CreateUserModal opened={createOpened} onClose={createModal.close} roles={roleOptions} />
    </>
  );
}
