import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import type { FunctionKey, PermissionKey } from '../../src-shared/permissions';
import { meterReadingsEntry } from './energy/meter-readings/entry';
import { billingEntry } from './energy/billing/entry';
import { counterEntry } from './energy/counter/entry';
import { prepaidEntry } from './energy/prepaid/entry';
import { installationsEntry } from './energy/installations/entry';
import { maintenanceEntry } from './energy/maintenance/entry';
import { dispatchEntry, schedulingEntry, visitsEntry } from './home-services/field-entries';
import { packagesEntry } from './home-services/packages/entry';
import { subscriptionsEntry } from './home-services/subscriptions/entry';

/**
 * What a function contributes to the shell: a navbar entry, its routes, and quick actions for the
 * module home and the command palette. Adding a function is adding one entry file to this list.
 */
export interface FunctionEntry {
  module: 'energy' | 'homeServices';
  key: FunctionKey;
  label: string;
  /** Where the navbar entry leads, e.g. `/energy/meter-readings`. */
  path: string;
  icon: ReactNode;
  /** Who sees the entry and may open its routes (normally `<key>:view`). */
  permission: PermissionKey;
  routes: RouteObject[];
  quickActions?: { label: string; path: string; shortcut?: string }[];
}

export const functionEntries: FunctionEntry[] = [meterReadingsEntry, billingEntry, counterEntry, prepaidEntry, installationsEntry, maintenanceEntry, schedulingEntry, dispatchEntry, visitsEntry, packagesEntry, subscriptionsEntry];

export const MODULES = [
  { key: 'energy', label: 'Energy & Utilities', path: '/energy' },
  { key: 'homeServices', label: 'Home & Personal Services', path: '/home-services' },
] as const;

export type ModuleKey = (typeof MODULES)[number]['key'];
