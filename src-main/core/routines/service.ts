import { AppError, notFound } from '../../../src-shared/errors';
import * as C from '../../../src-shared/contracts/routines';
import type { Routine } from '../../../src-shared/contracts/routines';
import { sqlGet, sqlRun } from '../db/store';
import type { Ctx } from '../rpc/context';
import type { Kernel } from '../rpc/kernel';
import type { Registry } from '../rpc/registry';
import { ROUTINES, describeCadence, type RoutineDefinition } from './definitions';
import { dueAt } from './schedule';
import { routinesFor } from './scheduler';
import { isEnabled, readRoutineState, readRoutineStates, requiredPermission, routinePrincipal, type RoutineStateRow } from './state';

const displayName = (ctx: Ctx, userId: string | null): string | null =>
  userId ? (sqlGet<{ display_name: string }>(ctx.db, 'SELECT display_name FROM users WHERE id = ?', userId)?.display_name ?? null) : null;

/** The routines this store runs: the running scheduler's (tests give their own), else the app's. */
const definitions = (ctx: Ctx): readonly RoutineDefinition[] => routinesFor(ctx.db)?.routines ?? ROUTINES;

function toRoutine(ctx: Ctx, kernel: Kernel, def: RoutineDefinition, state: RoutineStateRow | undefined): Routine {
  const registration = kernel.registry.get(def.procedure);
  const permission = registration ? requiredPermission(registration.contract) : null;
  const runsAs = registration ? routinePrincipal(ctx.db, permission) : null;
  const enabled = isEnabled(def, ctx.settings);
  const job = state?.job_id
    ? (sqlGet<{ id: string; state: string; error: string | null }>(ctx.db, 'SELECT id, state, error FROM jobs WHERE id = ?', state.job_id) ?? null)
    : null;
  const due = dueAt(def.cadence, state, ctx.now, ctx.branch.timeZone);
  const nextDueAt = state?.requested_at ? ctx.nowIso : enabled ? new Date(Math.max(due.getTime(), ctx.now.getTime())).toISOString() : null;
  return {
    name: def.name,
    label: def.label,
    description: def.description,
    procedure: def.procedure,
    permission,
    cadence: describeCadence(def.cadence),
    enabled,
    enabledSetting: typeof def.enabled === 'boolean' ? null : def.enabled.key,
    runsAs: runsAs ? { userId: runsAs.userId, displayName: runsAs.displayName } : null,
    lastAttemptAt: state?.last_attempt_at ?? null,
    lastRunAt: state?.last_run_at ?? null,
    outcome: (state?.outcome as Routine['outcome'] | undefined) ?? null,
    message: state?.message ?? null,
    lastRunAsName: displayName(ctx, state?.run_as ?? null),
    job,
    nextDueAt,
    requestedAt: state?.requested_at ?? null,
    requestedByName: displayName(ctx, state?.requested_by ?? null),
  };
}

export function registerRoutines(registry: Registry, kernel: () => Kernel): void {
  registry
    .add(C.routinesList, (ctx) => {
      const states = readRoutineStates(ctx.db);
      return definitions(ctx).map((def) => toRoutine(ctx, kernel(), def, states.get(def.name)));
    })
    .add(C.routinesRunNow, (ctx, input) => {
      const def = definitions(ctx).find((d) => d.name === input.name);
      if (!def) throw notFound('Routine', input.name);
      const registration = kernel().registry.get(def.procedure);
      if (!registration) throw new AppError('NOT_FOUND', `The procedure ${def.procedure} of ${def.label} is not installed in this app`);
      // It runs as the person who asked, so they need the procedure's own permission too.
      const permission = requiredPermission(registration.contract);
      if (permission && !ctx.user().permissions.has(permission)) {
        throw new AppError('FORBIDDEN', `Running ${def.label} needs ${permission} as well, which your role (${ctx.user().roleKey}) does not have`, {
          permission,
        });
      }
      const before = readRoutineState(ctx.db, def.name);
      sqlRun(
        ctx.db,
        `INSERT INTO routine_state (name, branch_id, requested_by, requested_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET requested_by = excluded.requested_by, requested_at = excluded.requested_at, updated_at = excluded.updated_at`,
        def.name,
        ctx.branch.id,
        ctx.user().userId,
        ctx.nowIso,
        ctx.nowIso,
      );
      ctx.audit({
        entity: 'routine',
        entityId: def.name,
        action: 'run requested',
        before: before ? { lastRunAt: before.last_run_at, outcome: before.outcome } : null,
        after: { procedure: def.procedure, requestedAt: ctx.nowIso },
      });
      // The scheduler looks once this call has answered (a timer, so after the commit).
      routinesFor(ctx.db)?.wake();
      return toRoutine(ctx, kernel(), def, readRoutineState(ctx.db, def.name));
    });
}
