import { z } from 'zod';
import { FUNCTIONS, ROLE_KEYS, VERBS } from '../permissions';
import {
  PUBLIC,
  SIGNED_IN,
  allow,
  auditEventSchema,
  id,
  isoDateTime,
  localDate,
  mutation,
  page,
  pageInput,
  query,
  reason,
  version,
} from '../rpc';

/* ---------------- system & auth ---------------- */

export const systemStatus = query({
  name: 'system.status',
  description: 'What the login screen needs: whether first-run setup is due, demo mode, branch name.',
  access: PUBLIC,
  input: z.strictObject({}),
  output: z.object({
    needsSetup: z.boolean(),
    demo: z.boolean(),
    branchId: z.string(),
    branchName: z.string(),
    timeZone: z.string(),
    appVersion: z.string(),
  }),
});

const username = z
  .string()
  .trim()
  .min(2, 'Username needs at least 2 characters')
  .max(40)
  .regex(/^[a-z0-9._-]+$/i, 'Use letters, digits, dot, dash or underscore');
/** The password policy of real stores; demo stores seed `demo1234`, which only they accept. */
export const newPassword = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(200)
  .refine((p) => /[a-z]/i.test(p) && /\d/.test(p), 'Mix letters and digits');

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roleKey: z.string(),
  roleName: z.string(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const sessionUserSchema = userSchema.extend({
  permissions: z.array(z.string()),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** An IANA time zone this runtime knows: reports bucket days, weeks and months in it. */
const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
};
export const timeZoneId = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .refine(isTimeZone, 'Not a time zone name this computer knows (use a name like Africa/Johannesburg)');

export const authSetup = mutation({
  name: 'auth.setup',
  description: 'First run only: create the branch and its first administrator.',
  access: PUBLIC,
  input: z.strictObject({
    branchName: z.string().trim().min(2).max(80),
    timeZone: timeZoneId,
    username,
    displayName: z.string().trim().min(2).max(80),
    password: newPassword,
  }),
  output: z.object({ userId: z.string() }),
});

export const authLogin = mutation({
  name: 'auth.login',
  description: 'Sign in with username and password; answers a session token.',
  access: PUBLIC,
  input: z.strictObject({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) }),
  output: z.object({ token: z.string(), user: sessionUserSchema, expiresAt: z.string() }),
});

export const authLogout = mutation({
  name: 'auth.logout',
  description: 'End the current session.',
  access: SIGNED_IN,
  input: z.strictObject({}),
  output: z.object({ ok: z.literal(true) }),
});

export const authMe = query({
  name: 'auth.me',
  description: 'The signed-in user and their permissions.',
  access: SIGNED_IN,
  input: z.strictObject({}),
  output: sessionUserSchema,
});

export const authChangePassword = mutation({
  name: 'auth.changePassword',
  description: 'Change my own password.',
  access: SIGNED_IN,
  input: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword }),
  output: z.object({ ok: z.literal(true) }),
});

export const systemSeedDemo = mutation({
  name: 'system.seedDemo',
  description: 'Turn an empty store into a demo branch with one user per role (password demo1234, demo stores only).',
  access: PUBLIC,
  internal: true,
  input: z.strictObject({
    branchName: z.string().min(2).max(80),
    timeZone: z.string().min(3).max(60),
    password: z.string().min(4).max(60),
    users: z.array(z.strictObject({ username, displayName: z.string().min(2).max(80), roleKey: z.enum(ROLE_KEYS) })).min(1).max(50),
  }),
  output: z.object({ userIds: z.record(z.string(), z.string()) }),
});

/* ---------------- users & roles ---------------- */

export const usersList = query({
  name: 'admin.users.list',
  description: 'All users of the branch.',
  access: allow('admin.users', 'view'),
  input: z.strictObject({ search: z.string().max(80).optional(), includeInactive: z.boolean().default(true) }),
  output: z.array(userSchema),
});

export const usersCreate = mutation({
  name: 'admin.users.create',
  description: 'Create a user with a role and an initial password.',
  access: allow('admin.users', 'create'),
  input: z.strictObject({
    username,
    displayName: z.string().trim().min(2).max(80),
    roleKey: z.string().min(1).max(40),
    password: newPassword,
  }),
  output: userSchema,
});

export const usersUpdate = mutation({
  name: 'admin.users.update',
  description: 'Change a user’s name or role, unlock, or (de)activate them.',
  access: allow('admin.users', 'edit'),
  input: z.strictObject({
    id,
    version,
    displayName: z.string().trim().min(2).max(80).optional(),
    roleKey: z.string().min(1).max(40).optional(),
    active: z.boolean().optional(),
    unlock: z.boolean().optional(),
  }),
  output: userSchema,
});

export const usersResetPassword = mutation({
  name: 'admin.users.resetPassword',
  description: 'Set a new password for a user (ends their sessions).',
  access: allow('admin.users', 'edit'),
  input: z.strictObject({ id, password: newPassword }),
  output: z.object({ ok: z.literal(true) }),
});

export const roleSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  userCount: z.number().int(),
  version: z.number().int(),
});
export type Role = z.infer<typeof roleSchema>;

export const rolesList = query({
  name: 'admin.roles.list',
  description: 'Roles with their permission sets, and the matrix axes.',
  access: allow('admin.users', 'view'),
  input: z.strictObject({}),
  output: z.object({
    roles: z.array(roleSchema),
    functions: z.array(z.object({ key: z.string(), module: z.string(), label: z.string() })),
    verbs: z.array(z.string()),
  }),
});

const permissionString = z
  .string()
  .refine(
    (p) => {
      const [fn, verb] = p.split(':');
      return FUNCTIONS.some((f) => f.key === fn) && (VERBS as readonly string[]).includes(verb ?? '');
    },
    { message: 'Unknown permission' },
  );

export const rolesUpdatePermissions = mutation({
  name: 'admin.roles.updatePermissions',
  description: 'Replace a role’s permission set (the matrix screen saves through this).',
  access: allow('admin.users', 'admin'),
  input: z.strictObject({ id, version, permissions: z.array(permissionString).max(500) }),
  output: roleSchema,
});

export const SEEDED_ROLE_KEYS = ROLE_KEYS;

/* ---------------- approvals ---------------- */

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'executed', 'failed', 'cancelled'] as const;

export const approvalSchema = z.object({
  id: z.string(),
  procedure: z.string(),
  functionKey: z.string(),
  summary: z.string(),
  payload: z.unknown(),
  payloadHash: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  status: z.enum(APPROVAL_STATUSES),
  requestedBy: z.string(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  requestReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  executionError: z.string().nullable(),
  /** True when the current user may decide it (holds approve on the function, is not the requester). */
  canDecide: z.boolean(),
  version: z.number().int(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalsList = query({
  name: 'approvals.list',
  description: 'Approval requests: those waiting for me, mine, or all I may see.',
  access: SIGNED_IN,
  input: z.strictObject({
    box: z.enum(['waiting', 'mine', 'all']).default('waiting'),
    status: z.enum(APPROVAL_STATUSES).optional(),
    entity: z.string().max(80).optional(),
    entityId: z.string().max(64).optional(),
  }),
  output: z.array(approvalSchema),
});

export const approvalsGet = query({
  name: 'approvals.get',
  description: 'One approval request with its payload.',
  access: SIGNED_IN,
  input: z.strictObject({ id }),
  output: approvalSchema,
});

export const approvalsDecide = mutation({
  name: 'approvals.decide',
  description:
    'Approve or reject a pending request. Approving runs the approved payload as the requester, in the same transaction.',
  access: SIGNED_IN,
  input: z.strictObject({ id, version, decision: z.enum(['approve', 'reject']), reason }),
  output: approvalSchema,
});

export const approvalsCancel = mutation({
  name: 'approvals.cancel',
  description: 'Withdraw my own pending request.',
  access: SIGNED_IN,
  input: z.strictObject({ id, version }),
  output: approvalSchema,
});

/* ---------------- audit journal ---------------- */

export const auditList = query({
  name: 'audit.list',
  description: 'Journal events, newest first, filterable by entity, user, procedure and date.',
  access: allow('audit', 'view'),
  input: z.strictObject({
    entity: z.string().max(80).optional(),
    entityId: z.string().max(64).optional(),
    actorId: z.string().max(64).optional(),
    procedure: z.string().max(120).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(auditEventSchema),
});

export const auditTrail = query({
  name: 'audit.trail',
  description: 'Every journal event of one record, oldest first (the detail screen’s audit tab).',
  access: SIGNED_IN,
  input: z.strictObject({ entity: z.string().min(1).max(80), entityId: id }),
  output: z.array(auditEventSchema),
});

export const auditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;

export const auditVerify = query({
  name: 'audit.verify',
  description: 'Walk the hash chain from the first event; name the first broken link.',
  access: allow('audit', 'view'),
  input: z.strictObject({}),
  output: auditVerifyResult,
});

/* ---------------- jobs ---------------- */

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.enum(JOB_STATES),
  progress: z.number().min(0).max(1),
  message: z.string().nullable(),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobsGet = query({
  name: 'jobs.get',
  description: 'One background job with its progress.',
  access: SIGNED_IN,
  input: z.strictObject({ id }),
  output: jobSchema,
});

export const jobsList = query({
  name: 'jobs.list',
  description: 'My recent background jobs.',
  access: SIGNED_IN,
  input: z.strictObject({ activeOnly: z.boolean().default(false) }),
  output: z.array(jobSchema),
});

export const jobsCancel = mutation({
  name: 'jobs.cancel',
  description: 'Ask a running job to stop; it stops between chunks and keeps nothing half-written.',
  access: SIGNED_IN,
  input: z.strictObject({ id }),
  output: jobSchema,
});

/* ---------------- settings ---------------- */

export const settingSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  description: z.string(),
  version: z.number().int(),
});

/* ---------------- branch profile ---------------- */

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const branchProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  /** 0 = Sunday … 6 = Saturday: the first day of a reporting week. */
  weekStart: z.number().int().min(0).max(6),
});
export type BranchProfile = z.infer<typeof branchProfileSchema>;

export const branchGet = query({
  name: 'admin.branch.get',
  description: 'The branch profile: name, time zone and the first day of a reporting week.',
  access: SIGNED_IN,
  input: z.strictObject({}),
  output: branchProfileSchema,
});

export const branchUpdate = mutation({
  name: 'admin.branch.update',
  description:
    'Change the branch name, time zone or first day of the week. Stored times stay in UTC; daily, weekly and monthly reports follow the new calendar from the next call.',
  access: allow('admin.settings', 'edit'),
  input: z.strictObject({
    name: z.string().trim().min(2, 'Give the branch a name of at least 2 characters').max(80),
    timeZone: timeZoneId,
    weekStart: z.number().int().min(0).max(6),
    reason,
  }),
  output: branchProfileSchema,
});

export const settingsList = query({
  name: 'admin.settings.list',
  description: 'Branch settings: thresholds, approval limits, VEE factors, time zone.',
  access: SIGNED_IN,
  input: z.strictObject({}),
  output: z.array(settingSchema),
});

export const settingsUpdate = mutation({
  name: 'admin.settings.update',
  description: 'Change one setting (validated against that setting’s own schema).',
  access: allow('admin.settings', 'edit'),
  input: z.strictObject({ key: z.string().min(1).max(80), value: z.unknown(), version }),
  output: settingSchema,
});

export const kernelContracts = [
  systemStatus,
  branchGet,
  branchUpdate,
  authSetup,
  systemSeedDemo,
  authLogin,
  authLogout,
  authMe,
  authChangePassword,
  usersList,
  usersCreate,
  usersUpdate,
  usersResetPassword,
  rolesList,
  rolesUpdatePermissions,
  approvalsList,
  approvalsGet,
  approvalsDecide,
  approvalsCancel,
  auditList,
  auditTrail,
  auditVerify,
  jobsGet,
  jobsList,
  jobsCancel,
  settingsList,
  settingsUpdate,
] as const;

export { isoDateTime };
