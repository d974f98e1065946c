import { Button, Paper } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { FunctionKey, PermissionKey, Verb } from '../../src-shared/permissions';
import { useSession } from '../api/hooks';
import { EmptyState } from '../components/EmptyState';
import { functionLabel } from '../components/labels';

export function splitPermission(permission: PermissionKey): [FunctionKey, Verb] {
  const [fn, verb] = permission.split(':') as [FunctionKey, Verb];
  return [fn, verb];
}

/** A screen the user's role does not open says so and names the permission to ask for. */
export function RequirePermission({ permission, children }: { permission: PermissionKey; children: ReactNode }) {
  const { can } = useSession();
  const [fn, verb] = splitPermission(permission);
  if (can(fn, verb)) return children;
  return (
    <Paper withBorder p="lg">
      <EmptyState
        icon={<IconLock size={24} stroke={1.5} />}
        title="Your role does not open this screen"
        description={`It needs “${verb}” on ${functionLabel(fn)}. Ask an administrator to add it to your role, or use the navigation on the left for the screens you can open.`}
        action={
          <Button component={Link} to="/" variant="light">
            Go to my start page
          </Button>
        }
      />
    </Paper>
  );
}
