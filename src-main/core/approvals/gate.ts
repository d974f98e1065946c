import { AppError, ruleViolation } from '../../../src-shared/errors';
import type { ProcedureContract } from '../../../src-shared/rpc';
import { canonicalJson } from '../util/canonical-json';
import { newId } from '../util/ids';
import { sqlGet, sqlRun } from '../db/store';
import type { Ctx } from '../rpc/context';
import type { GateRequest } from '../rpc/registry';
import type { ApprovalRequestsTable } from '../db/schema';

/**
 * Stores a maker's request for a gated action (or finds the identical pending one, so pressing the
 * button twice does not file two) and returns the APPROVAL_REQUIRED answer that names it.
 */
export function requestApproval(
  ctx: Ctx,
  contract: ProcedureContract,
  input: unknown,
  hash: string,
  gate: GateRequest,
): AppError {
  const requester = ctx.user();
  const existing = sqlGet<{ id: string }>(
    ctx.db,
    `SELECT id FROM approval_requests WHERE status = 'pending' AND procedure = ? AND payload_hash = ? AND requested_by = ?`,
    contract.name,
    hash,
    requester.userId,
  );
  let id = existing?.id;
  if (!id) {
    id = newId();
    const fn = contract.access.kind === 'permission' ? contract.access.fn : contract.name;
    sqlRun(
      ctx.db,
      `INSERT INTO approval_requests (id, branch_id, procedure, function_key, summary, payload_json, payload_hash, entity,
         entity_id, status, requested_by, requested_at, request_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      id,
      ctx.branch.id,
      contract.name,
      fn,
      gate.summary,
      canonicalJson(input ?? null),
      hash,
      gate.entity ?? null,
      gate.entityId ?? null,
      requester.userId,
      ctx.nowIso,
      gate.reason ?? null,
    );
    ctx.audit({
      entity: 'approval',
      entityId: id,
      action: 'requested',
      after: { procedure: contract.name, summary: gate.summary, entity: gate.entity, entityId: gate.entityId, payloadHash: hash },
      reason: gate.reason ?? null,
    });
  }
  return new AppError('APPROVAL_REQUIRED', `${gate.summary} needs approval by a supervisor`, {
    approvalId: id,
    functionKey: contract.access.kind === 'permission' ? contract.access.fn : undefined,
  });
}

/**
 * Lets an approved request run exactly once, and only with the payload that was approved: the
 * hash of what arrives now must equal the hash the approver saw.
 */
export function consumeApproval(ctx: Ctx, approvalId: string, hash: string): void {
  const row = sqlGet<ApprovalRequestsTable>(ctx.db, 'SELECT * FROM approval_requests WHERE id = ?', approvalId);
  if (!row) throw new AppError('NOT_FOUND', `Approval request ${approvalId} was not found`);
  if (row.procedure !== ctx.procedure) {
    throw ruleViolation('approval.wrongProcedure', `Approval ${approvalId} was given for ${row.procedure}, not ${ctx.procedure}`);
  }
  if (row.requested_by !== ctx.user().userId) {
    throw new AppError('FORBIDDEN', 'Only the user who asked for this approval can use it');
  }
  if (row.status !== 'approved') {
    throw ruleViolation('approval.notApproved', `Approval ${approvalId} is ${row.status}, not approved`);
  }
  if (row.payload_hash !== hash) {
    throw ruleViolation(
      'approval.payloadMismatch',
      'The request differs from what was approved; ask for a new approval for the changed request',
    );
  }
  sqlRun(ctx.db, `UPDATE approval_requests SET status = 'executed', version = version + 1 WHERE id = ?`, approvalId);
  ctx.audit({ entity: 'approval', entityId: approvalId, action: 'executed', before: { status: 'approved' }, after: { status: 'executed' } });
}
