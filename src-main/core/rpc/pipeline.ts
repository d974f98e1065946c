import type { z } from 'zod';
import { AppError, type AppErrorShape } from '../../../src-shared/errors';
import type { CallMeta, ProcedureContract, RpcResult } from '../../../src-shared/rpc';
import { permissionKey } from '../../../src-shared/permissions';
import { appendEvent } from '../audit/journal';
import { writeTransaction } from '../db/store';
import { payloadHash } from '../util/hash';
import { newId } from '../util/ids';
import { authenticate } from '../auth/sessions';
import { consumeApproval, requestApproval } from '../approvals/gate';
import { claimIdempotencyKey, storeIdempotentResult } from './idempotency';
import type { Ctx, Principal } from './context';
import type { Kernel } from './kernel';
import type { Registration } from './registry';
import { assertBranchOwned, guardAuditedWrite } from '../../sync/ownership';

export interface CallOptions {
  /** Session token from the transport (Bearer header or the preload's stored token). */
  token?: string | null;
  meta?: CallMeta;
  /** Already-resolved principal: approvals executing as the requester, jobs running as their starter. */
  principal?: Principal | null;
}

/**
 * Thrown by kernel code that must keep its writes *and* answer an error: a failed login must
 * still count the failure; a gated action must still store its approval request.
 */
export class CommitThenFail extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/**
 * The one pipeline: look up → authenticate → authorize → validate → approval gate → handler with
 * its audit events → answer. Every transport and every test calls this. A write runs all of it in
 * one write transaction, so the session, role and settings it was allowed under are the ones in
 * force when it commits (a user deactivated a moment earlier cannot still save), and the check
 * costs no read transaction of its own.
 */
export function dispatch(kernel: Kernel, name: string, rawInput: unknown, opts: CallOptions = {}): RpcResult<unknown> {
  try {
    const registration = kernel.registry.get(name);
    if (!registration) throw new AppError('NOT_FOUND', `There is no procedure named ${name}`);
    const { contract } = registration;
    const admit = (): { principal: Principal | null; input: unknown } => {
      const principal =
        opts.principal !== undefined ? opts.principal : authenticate(kernel, opts.token ?? null, contract.access.kind !== 'public');
      authorize(contract, principal);
      return { principal, input: validateInput(contract, rawInput) };
    };
    let result: unknown;
    if (contract.kind === 'query') {
      const { principal, input } = admit();
      result = registration.handler(makeCtx(kernel, name, principal, null), input);
    } else {
      result = runMutation(kernel, registration, admit, opts.meta ?? {});
    }
    if (kernel.validateOutputs) validateOutput(contract, result);
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: toErrorShape(kernel, name, err) };
  }
}

function runMutation(
  kernel: Kernel,
  { contract, handler, gate }: Registration,
  admit: () => { principal: Principal | null; input: unknown },
  meta: CallMeta,
): unknown {
  const jobsToLaunch: string[] = [];
  const outcome = writeTransaction(kernel.db, () => {
    // Refused calls throw here and roll back: nothing they did (a session touch) is kept.
    const { principal, input } = admit();
    if (contract.idempotent && !meta.idempotencyKey) {
      throw new AppError('VALIDATION', 'This action needs an idempotency key so a retry cannot run it twice', {
        issues: [{ path: 'idempotencyKey', message: 'Required for counter transactions' }],
      });
    }
    // Only idempotent, gated and approved calls compare payloads; plain writes skip the hashing.
    let hashed: string | undefined;
    const hash = (): string => (hashed ??= payloadHash(input));
    const ctx = makeCtx(kernel, contract.name, principal, meta.approvalId ?? null, jobsToLaunch);
    try {
      if (contract.idempotent) {
        const earlier = claimIdempotencyKey(ctx, meta.idempotencyKey!, hash());
        if (earlier !== undefined) return { result: earlier };
      }
      const gateRequest = gate?.(ctx, input) ?? null;
      // A write on what HQ owns is refused now, not after a supervisor approved it and it ran.
      if (gateRequest?.entity && gateRequest.entityId && !meta.approvalId) assertBranchOwned(ctx, gateRequest.entity, gateRequest.entityId);
      if (meta.approvalId) consumeApproval(ctx, meta.approvalId, hash());
      else if (gateRequest) throw new CommitThenFail(requestApproval(ctx, contract, input, hash(), gateRequest));
      const result = handler(ctx, input);
      if (ctx.auditCount() === 0) {
        throw new Error(`${contract.name} changed nothing in the journal; every write must append an audit event`);
      }
      if (contract.idempotent) storeIdempotentResult(ctx, meta.idempotencyKey!, hash(), result);
      kernel.faults?.afterHandler?.(contract.name);
      return { result };
    } catch (err) {
      // Returning (not throwing) commits what the kernel asked to keep, then we answer the error.
      if (err instanceof CommitThenFail) return { failure: err.error };
      throw err;
    }
  });
  if ('failure' in outcome) throw outcome.failure;
  for (const jobId of jobsToLaunch) kernel.jobs.launch(jobId);
  return outcome.result;
}

export function makeCtx(
  kernel: Kernel,
  procedure: string,
  principal: Principal | null,
  approvalId: string | null,
  jobsToLaunch: string[] = [],
): Ctx & { auditCount(): number } {
  const now = kernel.clock();
  const nowIso = now.toISOString();
  let audits = 0;
  const ctx: Ctx & { auditCount(): number } = {
    db: kernel.db,
    branch: kernel.branch(),
    now,
    nowIso,
    principal,
    procedure,
    approvalId,
    shiftId: null,
    settings: kernel.settings,
    jobs: {
      start: (kind, title, jobInput) => {
        const id = kernel.jobs.enqueue(kind, title, jobInput, ctx.user().userId, nowIso);
        jobsToLaunch.push(id);
        return id;
      },
    },
    audit(event) {
      guardAuditedWrite(ctx, event);
      audits += 1;
      appendEvent(
        kernel.db,
        {
          branchId: ctx.branch.id,
          at: nowIso,
          actorId: principal?.userId ?? null,
          actorName: principal?.displayName ?? null,
          sessionId: principal?.sessionId ?? null,
          shiftId: ctx.shiftId,
          procedure,
          approvalId: ctx.approvalId,
        },
        event,
      );
    },
    user() {
      if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in first');
      return principal;
    },
    auditCount: () => audits,
  };
  return ctx;
}

function authorize(contract: ProcedureContract, principal: Principal | null): void {
  const { access } = contract;
  if (access.kind === 'public') return;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (access.kind === 'authenticated') return;
  const key = permissionKey(access.fn, access.verb);
  if (!principal.permissions.has(key)) {
    throw new AppError('FORBIDDEN', `Your role (${principal.roleKey}) may not ${access.verb} in ${access.fn}`, {
      permission: key,
    });
  }
}

function validateInput(contract: ProcedureContract, raw: unknown): unknown {
  const parsed = contract.input.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
    path: issue.path.map(String).join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : issue.message,
  }));
  const first = issues[0]!;
  const message = first.path ? `${first.path}: ${first.message}` : first.message;
  throw new AppError('VALIDATION', issues.length > 1 ? `${message} (and ${issues.length - 1} more)` : message, { issues });
}

function validateOutput(contract: ProcedureContract, result: unknown): void {
  const parsed = contract.output.safeParse(result);
  if (!parsed.success) {
    throw new Error(`${contract.name} answered outside its output schema: ${parsed.error.message}`);
  }
}

function toErrorShape(kernel: Kernel, procedure: string, err: unknown): AppErrorShape {
  if (err instanceof AppError) return err.toJSON();
  // The write lock stayed taken past the busy timeout: long work (a billing run posting, an
  // import chunk) holds it. Nothing was written, and the same call will go through shortly.
  if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_BUSY')) {
    return {
      code: 'CONFLICT',
      message: 'The branch is busy with long work (a billing run or an import is saving); nothing was saved — try again in a moment',
      details: { busy: true },
    };
  }
  // SQLite constraint failures that slipped past validation are conflicts, not crashes.
  if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
    return { code: 'CONFLICT', message: 'The change conflicts with existing data', details: { constraint: String((err as { code: unknown }).code) } };
  }
  const incidentId = newId();
  kernel.log.error(`[${incidentId}] ${procedure} failed`, err);
  return { code: 'INTERNAL', message: `Something went wrong (incident ${incidentId}); nothing was saved`, details: { incidentId } };
}
