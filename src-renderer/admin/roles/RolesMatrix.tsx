import { Alert, Badge, Button, Checkbox, Grid, Group, NavLink, Paper, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconShieldLock } from '@tabler/icons-react';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { rolesList, rolesUpdatePermissions, type Role } from '../../../src-shared/contracts/kernel';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MODULE_LABELS, pluralize } from '../../components/labels';
import { PageHeader } from '../../components/PageHeader';
import { statusLabel } from '../../components/StatusBadge';

const VERB_HINTS: Record<string, string> = {
  view: 'See lists, details and reports',
  create: 'Create new records',
  edit: 'Change records that are not final',
  submit: 'Submit and review (e.g. clear reading exceptions)',
  approve: 'Decide approval requests (never their own)',
  post: 'Post: make documents final',
  void: 'Cancel or reverse final documents',
  export: 'Export reports and lists',
  admin: 'Master data and configuration of the function',
};

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((p) => b.has(p));

interface MatrixProps {
  role: Role;
  functions: { key: string; module: string; label: string }[];
  verbs: string[];
  editable: boolean;
  onDirtyChange(dirty: boolean): void;
}

function Matrix({ role, functions, verbs, editable, onDirtyChange }: MatrixProps) {
  const saved = useMemo(() => new Set(role.permissions), [role.permissions]);
  const [draft, setDraft] = useState<Set<string>>(() => new Set(role.permissions));
  const save = useRpcMutation(rolesUpdatePermissions, { invalidate: ['admin.roles.', 'admin.users.', 'auth.me'], notifyErrors: false });
  const dirty = !sameSet(draft, saved);
  const changes = [...draft].filter((p) => !saved.has(p)).length + [...saved].filter((p) => !draft.has(p)).length;

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const modules = [...new Set(functions.map((f) => f.module))];
  const toggle = (keys: string[], on: boolean) =>
    setDraft((current) => {
      const next = new Set(current);
      for (const key of keys) {
        if (on) next.add(key);
        else next.delete(key);
      }
      return next;
    });

  const columnState = (verb: string) => {
    const keys = functions.map((f) => `${f.key}:${verb}`);
    const held = keys.filter((k) => draft.has(k)).length;
    return { keys, all: held === keys.length, some: held > 0 && held < keys.length };
  };

  const submit = () =>
    save.mutate(
      { input: { id: role.id, version: role.version, permissions: [...draft].sort() } },
      { onSuccess: (updated) => notifications.show({ color: 'green', message: `${updated.name}: permissions saved and audited.` }) },
    );

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={600}>{role.name}</Text>
          <Text size="sm" c="dimmed">
            {role.description} · {pluralize(role.userCount, 'user')}
          </Text>
        </div>
        {editable ? (
          <Group gap="xs">
            {dirty ? (
              <Text size="sm" c="orange" fw={500}>
                {pluralize(changes, 'change')} not saved
              </Text>
            ) : null}
            <Button variant="default" disabled={!dirty || save.isPending} onClick={() => setDraft(new Set(saved))}>
              Discard
            </Button>
            <Button leftSection={<IconDeviceFloppy size={16} />} disabled={!dirty} loading={save.isPending} onClick={submit}>
              Save permissions
            </Button>
          </Group>
        ) : (
          <Badge variant="light" color="gray">
            Read only: needs “admin” on Users and roles
          </Badge>
        )}
      </Group>
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <Paper withBorder>
        <Table stickyHeader stickyHeaderOffset="var(--app-shell-header-height, 0px)" withColumnBorders verticalSpacing={4} fz="sm" aria-label={`Permissions of ${role.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th miw={200}>Function</Table.Th>
              {verbs.map((verb) => {
                const column = columnState(verb);
                return (
                  <Table.Th key={verb} ta="center" w={66}>
                    <Tooltip label={VERB_HINTS[verb] ?? verb}>
                      <Stack gap={2} align="center">
                        <Text size="xs" fw={600}>
                          {statusLabel(verb)}
                        </Text>
                        <Checkbox
                          size="xs"
                          aria-label={`${verb} on every function`}
                          checked={column.all}
                          indeterminate={column.some}
                          disabled={!editable}
                          onChange={() => toggle(column.keys, !column.all)}
                        />
                      </Stack>
                    </Tooltip>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {modules.map((module) => (
              <Fragment key={module}>
                <Table.Tr>
                  <Table.Td colSpan={verbs.length + 1} bg="var(--mantine-color-default-hover)">
                    <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                      {MODULE_LABELS[module] ?? module}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                {functions
                  .filter((f) => f.module === module)
                  .map((f) => (
                    <Table.Tr key={f.key}>
                      <Table.Td>{f.label}</Table.Td>
                      {verbs.map((verb) => {
                        const key = `${f.key}:${verb}`;
                        const changed = draft.has(key) !== saved.has(key);
                        return (
                          <Table.Td key={verb} ta="center" bg={changed ? 'var(--mantine-color-orange-light)' : undefined}>
                            <Checkbox
                              size="sm"
                              styles={{ body: { justifyContent: 'center' } }}
                              aria-label={`${f.label}: ${verb}`}
                              checked={draft.has(key)}
                              disabled={!editable}
                              onChange={(event) => toggle([key], event.currentTarget.checked)}
                            />
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Text size="xs" c="dimmed">
        Changed cells are highlighted until you save. Users of this role get the new permissions on their next action.
      </Text>
    </Stack>
  );
}

/** The permission matrix, one role at a time: functions grouped by module × verbs. */
export function RolesMatrix() {
  const { can } = useSession();
  const roles = useRpcQuery(rolesList, {});
  const [params, setParams] = useSearchParams();
  const [dirty, setDirty] = useState(false);
  const list = roles.data?.roles ?? [];
  const selected = list.find((r) => r.key === params.get('role')) ?? list[0];

  const select = (role: Role) => {
    const go = () => {
      setDirty(false);
      setParams({ role: role.key });
    };
    if (!dirty) return go();
    modals.openConfirmModal({
      title: 'Discard unsaved changes?',
      children: <Text size="sm">The permission changes you made to {selected?.name} have not been saved.</Text>,
      labels: { confirm: 'Discard and switch', cancel: 'Keep editing' },
      confirmProps: { color: 'red' },
      onConfirm: go,
    });
  };

  return (
    <>
      <PageHeader
        title="Roles & permissions"
        subtitle="What each role may do, per function and verb. Saving is audited; approvals always need a second person."
      />
      {roles.isError ? <ErrorAlert error={roles.error} onRetry={() => void roles.refetch()} /> : null}
      {roles.isPending ? <Skeleton height={400} /> : null}
      {roles.data && selected ? (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Paper withBorder p={4}>
              {list.map((role) => (
                <NavLink
                  key={role.id}
                  component="button"
                  label={role.name}
                  description={pluralize(role.userCount, 'user')}
                  active={role.id === selected.id}
                  onClick={() => select(role)}
                  leftSection={<IconShieldLock size={16} stroke={1.6} />}
                  py={6}
                />
              ))}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            <Matrix
              key={`${selected.id}-${selected.version}`}
              role={selected}
              functions={roles.data.functions}
              verbs={roles.data.verbs}
              editable={can('admin.users', 'admin')}
              onDirtyChange={setDirty}
            />
          </Grid.Col>
        </Grid>
      ) : null}
      {roles.data && list.length === 0 ? (
        <Alert color="gray">No roles exist yet. They are created with the branch; reinstalling may be needed.</Alert>
      ) : null}
    </>
  );
}
