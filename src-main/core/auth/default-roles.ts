import { FUNCTIONS, VERBS, permissionKey, type FunctionKey, type PermissionKey, type RoleKey, type Verb } from '../../../src-shared/permissions';

/**
 * The roles a new branch starts with. Administrators edit the matrix on screen afterwards; these
 * are only the defaults a branch of this kind usually wants.
 */
const BUSINESS_FUNCTIONS = FUNCTIONS.filter((f) => f.module !== 'kernel').map((f) => f.key);
const ALL_BUT_ADMIN: Verb[] = VERBS.filter((v) => v !== 'admin');

const grant = (fns: readonly FunctionKey[], verbs: readonly Verb[]): PermissionKey[] =>
  fns.flatMap((fn) => verbs.map((v) => permissionKey(fn, v)));

export interface RoleDefinition {
  key: RoleKey;
  name: string;
  description: string;
  permissions: PermissionKey[];
}

export const DEFAULT_ROLES: RoleDefinition[] = [
  {
    key: 'administrator',
    name: 'Administrator',
    description: 'Everything, including users, roles and settings.',
    permissions: grant(
      FUNCTIONS.map((f) => f.key),
      VERBS,
    ),
  },
  {
    key: 'branch_supervisor',
    name: 'Branch supervisor',
    description: 'Runs the branch: approves high-risk actions, reviews exceptions, sees every report.',
    permissions: [
      ...grant(BUSINESS_FUNCTIONS, ALL_BUT_ADMIN),
      ...grant(['audit', 'jobs', 'admin.users', 'admin.settings'], ['view', 'export']),
      ...grant(['sync'], ['view', 'submit']),
    ],
  },
  {
    key: 'cashier',
    name: 'Cashier',
    description: 'Counter: payments, prepaid vends, package and subscription sales within a shift.',
    permissions: [
      ...grant(['energy.counter', 'energy.prepaid', 'homeServices.packages', 'homeServices.subscriptions'], ['view', 'create', 'submit']),
      ...grant(['energy.billing', 'energy.meterReadings'], ['view']),
    ],
  },
  {
    key: 'meter_reader',
    name: 'Meter reader',
    description: 'Walks routes and enters or imports readings.',
    permissions: grant(['energy.meterReadings'], ['view', 'create', 'submit']),
  },
  {
    key: 'billing_clerk',
    name: 'Billing clerk',
    description: 'Prepares billing runs and corrects readings.',
    permissions: [
      ...grant(['energy.billing', 'energy.meterReadings'], ['view', 'create', 'edit', 'submit', 'export']),
      ...grant(['energy.counter', 'energy.prepaid'], ['view']),
    ],
  },
  {
    key: 'technician',
    name: 'Technician',
    description: 'Works installation stages, work orders and home visits.',
    permissions: [
      ...grant(['energy.installations', 'energy.maintenance', 'homeServices.visits'], ['view', 'edit', 'submit']),
      ...grant(['homeServices.dispatch', 'homeServices.scheduling'], ['view']),
    ],
  },
  {
    key: 'dispatcher',
    name: 'Dispatcher',
    description: 'Books appointments and dispatches technicians.',
    permissions: [
      ...grant(['homeServices.scheduling', 'homeServices.dispatch'], ['view', 'create', 'edit', 'submit', 'export']),
      ...grant(['homeServices.visits', 'homeServices.packages', 'homeServices.subscriptions'], ['view']),
    ],
  },
  {
    key: 'maintenance_planner',
    name: 'Maintenance planner',
    description: 'Plans preventive maintenance, manages work orders, parts and installations.',
    permissions: [
      ...grant(['energy.maintenance'], ['view', 'create', 'edit', 'submit', 'post', 'export']),
      ...grant(['energy.installations'], ['view', 'create', 'edit', 'submit', 'export']),
    ],
  },
  {
    key: 'auditor',
    name: 'Auditor',
    description: 'Reads everything, including the journal; changes nothing.',
    permissions: grant(
      FUNCTIONS.map((f) => f.key),
      ['view', 'export'],
    ),
  },
];
