import type { RoutineOutcome } from '../../../src-shared/contracts/routines';
import { loadPrincipal } from '../auth/sessions';
import { sqlGet, sqlRun, writeTransaction, type SqliteDb } from '../db/store';
import { dispatch } from '../rpc/pipeline';
import type { Kernel } from '../rpc/kernel';
import type { Principal } from '../rpc/context';
import { newId } from '../util/ids';
import { ROUTINES, type RoutineDefinition } from './definitions';
import { dueAt, latestSlot, localDate } from './schedule';
import { isEnabled, readRoutineState, requiredPermission, routinePrincipal, type RoutineStateRow } from './state';

/**
 * Runs periodic domain work (preventive work orders, missed visits, subscription billing) by
 * itself while the app is open, and catches up at start on a run missed while it was closed.
 * Every run dispatches its procedure through the pipeline as a real user, so authorization,
 * validation and the audit journal apply exactly as when someone presses the button. Started
 * once per store by the process that owns it (see startBackgroundWork); tests and job workers
 * never start one implicitly.
 */
export interface RoutineScheduler {
  readonly routines: readonly RoutineDefinition[];
  /** Run every routine that is due (or asked for) now; resolves with what was attempted. */
  tick(): Promise<RoutineRun[]>;
  /** Look again at once ("Run now" was asked, a setting changed). */
  wake(): void;
  /** No new run starts; resolves once a running one has finished. */
  stop(): Promise<void>;
}

export interface RoutineRun {
  name: string;
  outcome: RoutineOutcome;
  message: string;
  at: string;
}

export interface RoutineSchedulerOptions {
  routines?: readonly RoutineDefinition[];
  /** False: no timers, the caller ticks (tests drive the clock). */
  timers?: boolean;
  onRun?(run: RoutineRun): void;
}

/** The scheduler re-reads the clock and the state at least this often. */
const RECHECK_MS = 60_000;
/** A run claimed by a process that died is taken over after this long. */
const LEASE_MS = 10 * 60_000;

const schedulers = new WeakMap<SqliteDb, RoutineScheduler>();

/** The routine scheduler serving this store in this process, if any ("Run now" wakes it). */
export const routinesFor = (db: SqliteDb): RoutineScheduler | undefined => schedulers.get(db);

export function startRoutineScheduler(kernel: Kernel, options: RoutineSchedulerOptions = {}): RoutineScheduler {
  const routines = options.routines ?? ROUTINES;
  const useTimers = options.timers ?? true;
  const owner = `${process.pid}:${newId()}`;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<RoutineRun[]> | null = null;
  let again = false;
  let stopped = false;

  const plan = (delayMs: number) => {
    if (stopped || !useTimers) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void scheduler.tick();
    }, Math.max(0, Math.min(delayMs, RECHECK_MS)));
    timer.unref();
  };

  const nextDelay = (): number => {
    const now = kernel.clock();
    const tz = kernel.branch().timeZone;
    let soonest = Number.POSITIVE_INFINITY;
    for (const def of routines) {
      if (!isEnabled(def, kernel.settings)) continue;
      soonest = Math.min(soonest, dueAt(def.cadence, readRoutineState(kernel.db, def.name), now, tz).getTime() - now.getTime());
    }
    return soonest;
  };

  async function runAll(): Promise<RoutineRun[]> {
    const runs: RoutineRun[] = [];
    if (kernel.branch().id === 'unset') return runs; // nothing to do before first-run setup
    for (const def of routines) {
      if (stopped) break;
      try {
        const run = runOne(kernel, def, owner);
        if (run) {
          runs.push(run);
          options.onRun?.(run);
        }
      } catch (err) {
        // Bookkeeping itself failed (e.g. the store is busy beyond its timeout): log, go on with the next.
        kernel.log.error(`routine ${def.name}: could not run`, err);
      }
      // Let transport calls in between: a routine's transaction is short, several in a row need not be.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return runs;
  }

  const scheduler: RoutineScheduler = {
    routines,
    tick() {
      if (running) {
        again = true;
        return running;
      }
      running = runAll().finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          plan(0);
        } else {
          try {
            plan(nextDelay());
          } catch (err) {
            kernel.log.error('routine scheduler', err);
            plan(RECHECK_MS);
          }
        }
      });
      return running;
    },
    wake() {
      if (stopped) return;
      if (running) again = true;
      else if (useTimers) plan(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      if (schedulers.get(kernel.db) === scheduler) schedulers.delete(kernel.db);
    },
  };
  schedulers.set(kernel.db, scheduler);
  // Catch up at start: whatever fell due while the app was closed runs now.
  plan(0);
  return scheduler;
}

/** One routine, if due or asked for: claim it, dispatch through the pipeline, record the outcome. */
function runOne(kernel: Kernel, def: RoutineDefinition, owner: string): RoutineRun | null {
  const now = kernel.clock();
  const nowIso = now.toISOString();
  const tz = kernel.branch().timeZone;
  const enabled = isEnabled(def, kernel.settings);

  // Claim inside the write lock, re-checking there, so two processes on one store never both run it.
  const claimed = writeTransaction(kernel.db, () => {
    const state = readRoutineState(kernel.db, def.name);
    const leased = state?.run_owner && state.run_owner !== owner && state.run_lease_until !== null && state.run_lease_until > nowIso;
    if (leased) return null;
    const requested = state?.requested_at != null;
    if (!requested && !(enabled && dueAt(def.cadence, state, now, tz).getTime() <= now.getTime())) return null;
    sqlRun(
      kernel.db,
      `INSERT INTO routine_state (name, branch_id, run_owner, run_lease_until, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET run_owner = excluded.run_owner, run_lease_until = excluded.run_lease_until, updated_at = excluded.updated_at`,
      def.name,
      kernel.branch().id,
      owner,
      new Date(now.getTime() + LEASE_MS).toISOString(),
      nowIso,
    );
    return { state };
  });
  if (!claimed) return null;
  const { state } = claimed;

  let outcome: RoutineOutcome;
  let message: string;
  let principal: Principal | null = null;
  let jobId: string | null = state?.job_id ?? null;
  const decision = prepare(kernel, def, state);
  if ('skip' in decision) {
    outcome = 'skipped';
    message = decision.skip;
  } else {
    principal = decision.principal;
    try {
      const input = def.input({ now, timeZone: tz, today: localDate(now, tz) });
      // Counter-style procedures want a key; one per attempt, so a retry is a new attempt.
      const meta = decision.idempotent ? { idempotencyKey: `routine:${def.name}:${nowIso}` } : {};
      const answer = dispatch(kernel, def.procedure, input, { principal, meta });
      if (answer.ok) {
        outcome = 'ok';
        const started = (answer.result as { jobId?: unknown } | null)?.jobId;
        jobId = typeof started === 'string' ? started : null;
        message = def.summarize ? def.summarize(answer.result) : 'Done';
      } else {
        outcome = 'failed';
        jobId = null;
        message = `${answer.error.code}: ${answer.error.message}`;
      }
    } catch (err) {
      // The input builder threw; dispatch itself never throws, it answers errors.
      outcome = 'failed';
      message = err instanceof Error ? err.message : String(err);
    }
  }

  const ran = outcome !== 'skipped';
  const slot = ran && def.cadence.kind === 'daily' ? latestSlot(def.cadence.at, now, tz).toISOString() : null;
  sqlRun(
    kernel.db,
    `UPDATE routine_state SET
       last_attempt_at = ?, outcome = ?, message = ?, run_as = ?, job_id = ?,
       last_run_at = CASE WHEN ? THEN ? ELSE last_run_at END,
       last_slot = CASE WHEN ? IS NOT NULL AND (last_slot IS NULL OR last_slot < ?) THEN ? ELSE last_slot END,
       requested_by = CASE WHEN requested_at IS ? THEN NULL ELSE requested_by END,
       requested_at = CASE WHEN requested_at IS ? THEN NULL ELSE requested_at END,
       run_owner = NULL, run_lease_until = NULL, updated_at = ?
     WHERE name = ?`,
    nowIso,
    outcome,
    message,
    principal?.userId ?? null,
    jobId,
    ran ? 1 : 0,
    nowIso,
    slot,
    slot,
    slot,
    state?.requested_at ?? null,
    state?.requested_at ?? null,
    nowIso,
    def.name,
  );
  if (outcome === 'failed') kernel.log.error(`routine ${def.name} (${def.procedure}) failed: ${message}`);
  else kernel.log.info(`routine ${def.name}: ${outcome}: ${message}`);
  return { name: def.name, outcome, message, at: nowIso };
}

/** Who the run runs as, or why it cannot run now. */
function prepare(
  kernel: Kernel,
  def: RoutineDefinition,
  state: RoutineStateRow | undefined,
): { principal: Principal | null; idempotent: boolean } | { skip: string } {
  const registration = kernel.registry.get(def.procedure);
  if (!registration) return { skip: `The procedure ${def.procedure} is not installed in this app` };
  const permission = requiredPermission(registration.contract);
  const idempotent = registration.contract.idempotent === true;
  if (state?.job_id) {
    const job = sqlGet<{ state: string }>(kernel.db, 'SELECT state FROM jobs WHERE id = ?', state.job_id);
    if (job && (job.state === 'queued' || job.state === 'running')) {
      return { skip: `The job its last run started (${state.job_id}) is still running; it runs again once that job has finished` };
    }
  }
  if (state?.requested_by) {
    const requester = loadPrincipal(kernel.db, state.requested_by, null);
    if (!requester) return { skip: 'The user who asked to run it now has been deactivated' };
    if (permission && !requester.permissions.has(permission)) {
      return { skip: `${requester.displayName} asked to run it now but no longer holds ${permission}` };
    }
    return { principal: requester, idempotent };
  }
  if (registration.contract.access.kind === 'public') return { principal: null, idempotent };
  const principal = routinePrincipal(kernel.db, permission);
  if (!principal) {
    return {
      skip: permission
        ? `No active user's role holds ${permission}, so there is nobody to run it as: give that permission to a role with an active user, or switch the routine off`
        : 'There is no active user to run it as',
    };
  }
  return { principal, idempotent };
}
