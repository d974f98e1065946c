import {
  IconAdjustmentsHorizontal,
  IconApps,
  IconBolt,
  IconChecklist,
  IconHome2,
  IconShieldLock,
  IconTimeline,
  IconUsers,
} from '@tabler/icons-react';
import { useMemo, type ReactNode } from 'react';
import { FUNCTIONS } from '../../src-shared/permissions';
import type { Session } from '../api/session';
import { useSession } from '../api/hooks';
import { MODULES, functionEntries, type FunctionEntry, type ModuleKey } from '../modules/registry';
import { splitPermission } from './RequirePermission';
import { reportingDestinations } from '../reports/destinations';
import { syncDestinations } from '../admin/sync';

/** One place the user can go; the navbar, the command palette and the `g …` shortcuts all read these. */
export interface Destination {
  id: string;
  label: string;
  path: string;
  section: ModuleKey | 'work' | 'admin';
  icon: ReactNode;
  description?: string;
  /** A key sequence such as `g a`. */
  shortcut?: string;
  /** Offered in the command palette (Ctrl+K) only, not listed in the navbar: an action rather than a screen. */
  paletteOnly?: boolean;
}

export const SECTION_LABELS: Record<Destination['section'], string> = {
  energy: 'Energy & Utilities',
  homeServices: 'Home & Personal Services',
  work: 'Work',
  admin: 'Administration',
};

const MODULE_ICONS: Record<ModuleKey, ReactNode> = {
  energy: <IconBolt size={18} stroke={1.6} />,
  homeServices: <IconHome2 size={18} stroke={1.6} />,
};

const MODULE_SHORTCUTS: Record<ModuleKey, string> = { energy: 'g e', homeServices: 'g h' };

/** A module is shown when the role may view at least one of its functions, shipped or not yet. */
export function canSeeModule(session: Pick<Session, 'can'>, module: ModuleKey): boolean {
  return FUNCTIONS.some((f) => f.module === module && session.can(f.key, 'view'));
}

export function canOpenEntry(session: Pick<Session, 'can'>, entry: FunctionEntry): boolean {
  const [fn, verb] = splitPermission(entry.permission);
  return session.can(fn, verb);
}

export function useDestinations(): Destination[] {
  const session = useSession();
  return useMemo(() => {
    const { can } = session;
    const destinations: Destination[] = [];
    for (const module of MODULES) {
      if (!canSeeModule(session, module.key)) continue;
      destinations.push({
        id: `module:${module.key}`,
        label: 'Overview',
        path: module.path,
        section: module.key,
        icon: MODULE_ICONS[module.key],
        description: `${module.label}: key figures, pending actions, alerts and quick actions`,
        shortcut: MODULE_SHORTCUTS[module.key],
      });
      for (const entry of functionEntries.filter((e) => e.module === module.key && canOpenEntry(session, e))) {
        destinations.push({
          id: `fn:${entry.key}`,
          label: entry.label,
          path: entry.path,
          section: module.key,
          icon: entry.icon ?? <IconApps size={18} stroke={1.6} />,
        });
      }
    }
    destinations.push({
      id: 'approvals',
      label: 'Approvals',
      path: '/approvals',
      section: 'work',
      icon: <IconChecklist size={18} stroke={1.6} />,
      description: 'Requests waiting for a decision, and yours',
      shortcut: 'g a',
    });
    destinations.push(...reportingDestinations(can));
    if (can('audit', 'view')) {
      destinations.push({
        id: 'audit',
        label: 'Audit journal',
        path: '/audit',
        section: 'admin',
        icon: <IconTimeline size={18} stroke={1.6} />,
        description: 'Every change, who made it, and whether the chain verifies',
        shortcut: 'g u',
      });
    }
    if (can('admin.users', 'view')) {
      destinations.push(
        {
          id: 'users',
          label: 'Users',
          path: '/admin/users',
          section: 'admin',
          icon: <IconUsers size={18} stroke={1.6} />,
          description: 'Create users, change roles, unlock, reset passwords',
          shortcut: 'g p',
        },
        {
          id: 'roles',
          label: 'Roles & permissions',
          path: '/admin/roles',
          section: 'admin',
          icon: <IconShieldLock size={18} stroke={1.6} />,
          description: 'The permission matrix: function × verb for each role',
          shortcut: 'g r',
        },
      );
    }
    if (can('admin.settings', 'view') || can('admin.settings', 'edit')) {
      destinations.push({
        id: 'settings',
        label: 'Settings',
        path: '/admin/settings',
        section: 'admin',
        icon: <IconAdjustmentsHorizontal size={18} stroke={1.6} />,
        description: 'Thresholds, approval limits, VEE factors, sign-in rules',
        shortcut: 'g s',
      });
    }
    destinations.push(...syncDestinations(can));
    return destinations;
  }, [session]);
}

/** Where "/" leads: the first module the role works in, else the approvals inbox. */
export function startPath(session: Pick<Session, 'can'>): string {
  return MODULES.find((m) => canSeeModule(session, m.key))?.path ?? '/approvals';
}
