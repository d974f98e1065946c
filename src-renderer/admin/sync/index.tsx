import { IconCloudUpload } from '@tabler/icons-react';
import type { RouteObject } from 'react-router';
import type { FunctionKey, Verb } from '../../../src-shared/permissions';
import type { Destination } from '../../app/navigation';
import { RequirePermission } from '../../app/RequirePermission';
import { SyncScreen } from './SyncScreen';

/** Sync status in the navbar, the command palette and the `g y` shortcut, for whoever may view it. */
export function syncDestinations(can: (fn: FunctionKey, verb: Verb) => boolean): Destination[] {
  if (!can('sync', 'view')) return [];
  return [
    {
      id: 'sync',
      label: 'Sync to HQ',
      path: '/admin/sync',
      section: 'admin',
      icon: <IconCloudUpload size={18} stroke={1.6} />,
      description: 'Last sync, pending events, HQ anchor of the journal, exceptions, connection',
      shortcut: 'g y',
    },
  ];
}

export const syncRoutes: RouteObject[] = [
  {
    path: 'admin/sync',
    element: (
      <RequirePermission permission="sync:view">
        <SyncScreen />
      </RequirePermission>
    ),
  },
];
