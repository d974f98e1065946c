/**
 * The permission matrix is function × verb. Every procedure names exactly one cell of it.
 * Functions of modules that have not landed yet are listed too, so an administrator can prepare
 * roles before a module ships and the matrix screen never changes shape.
 */
export const VERBS = ['view', 'create', 'edit', 'submit', 'approve', 'post', 'void', 'export', 'admin'] as const;
export type Verb = (typeof VERBS)[number];

export interface FunctionInfo {
  key: string;
  module: 'kernel' | 'energy' | 'homeServices';
  label: string;
}

export const FUNCTIONS = [
  { key: 'admin.users', module: 'kernel', label: 'Users and roles' },
  { key: 'admin.settings', module: 'kernel', label: 'Settings' },
  { key: 'audit', module: 'kernel', label: 'Audit journal' },
  { key: 'jobs', module: 'kernel', label: 'Background jobs' },
  { key: 'sync', module: 'kernel', label: 'Sync to HQ' },
  { key: 'energy.meterReadings', module: 'energy', label: 'Meter reading logging' },
  { key: 'energy.billing', module: 'energy', label: 'Utility billing cycles' },
  { key: 'energy.counter', module: 'energy', label: 'Cashier counter' },
  { key: 'energy.installations', module: 'energy', label: 'Service installation tracking' },
  { key: 'energy.maintenance', module: 'energy', label: 'Equipment maintenance tracking' },
  { key: 'energy.prepaid', module: 'energy', label: 'Prepaid credit management' },
  { key: 'homeServices.scheduling', module: 'homeServices', label: 'Service appointment scheduling' },
  { key: 'homeServices.dispatch', module: 'homeServices', label: 'Mobile technician dispatch' },
  { key: 'homeServices.packages', module: 'homeServices', label: 'Service package billing' },
  { key: 'homeServices.visits', module: 'homeServices', label: 'Home visit tracking' },
  { key: 'homeServices.subscriptions', module: 'homeServices', label: 'Subscription-based service billing' },
] as const satisfies readonly FunctionInfo[];

export type FunctionKey = (typeof FUNCTIONS)[number]['key'];

/** `energy.meterReadings:create` — the string stored in role_permissions. */
export type PermissionKey = `${FunctionKey}:${Verb}`;

export const permissionKey = (fn: FunctionKey, verb: Verb): PermissionKey => `${fn}:${verb}`;

export const ALL_PERMISSION_KEYS: PermissionKey[] = FUNCTIONS.flatMap((f) =>
  VERBS.map((v) => permissionKey(f.key, v)),
);

export const ROLE_KEYS = [
  'administrator',
  'branch_supervisor',
  'cashier',
  'meter_reader',
  'billing_clerk',
  'technician',
  'dispatcher',
  'maintenance_planner',
  'auditor',
] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];
