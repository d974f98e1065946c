import { AppError, conflict, notFound, ruleViolation } from '../../../src-shared/errors';
import * as K from '../../../src-shared/contracts/kernel';
import type { Approval } from '../../../src-shared/contracts/kernel';
import { sqlAll, sqlGet, sqlRun } from '../db/store';
import type { ApprovalRequestsTable } from '../db/schema';
import type { Ctx, Principal } from '../rpc/context';
import type { Kernel } from '../rpc/kernel';
import type { Registry } from '../rpc/registry';
import { dispatch } from '../rpc/pipeline';
import { loadPrincipal } from '../auth/sessions';

type ApprovalRow = ApprovalRequestsTable & { requested_by_name: string; decided_by_name: string | null };

const SELECT = `SELECT a.*, ru.display_name AS requested_by_name, du.display_name AS decided_by_name
  FROM approval_requests a JOIN users ru ON ru.id = a.requested_by LEFT JOIN users du ON du.id = a.decided_by`;

const canDecide = (row: ApprovalRequestsTable, p: Principal): boolean =>
  row.status === 'pending' && row.requested_by !== p.userId && p.permissions.has(`${row.function_key}:approve`);

function toApproval(row: ApprovalRow, viewer: Principal): Approval {
  return {
    id: row.id,
    procedure: row.procedure,
    functionKey: row.function_key,
    summary: row.summary,
    payload: JSON.parse(row.payload_json) as unknown,
    payloadHash: row.payload_hash,
    entity: row.entity,
    entityId: row.entity_id,
    status: row.status,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    requestedAt: row.requested_at,
    requestReason: row.request_reason,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    executionError: row.execution_error,
    canDecide: canDecide(row, viewer),
    version: row.version,
  };
}

function load(ctx: Ctx, id: string): ApprovalRow {
  const row = sqlGet<ApprovalRow>(ctx.db, `${SELECT} WHERE a.id = ?`, id);
  if (!row) throw notFound('Approval request', id);
  return row;
}

/** Who may see a request: its requester, anyone who may decide it, and auditors. */
const maySee = (row: ApprovalRequestsTable, p: Principal): boolean =>
  row.requested_by === p.userId || p.permissions.has(`${row.function_key}:approve`) || p.permissions.has('audit:view');

/**
 * Approving runs the approved payload as the requester, inside the approver's transaction, so the
 * decision and its effect commit together. If the action itself now fails (the record moved on
 * meanwhile), the approval is kept as `failed` with the reason and nothing of the action is kept.
 */
function execute(kernel: Kernel, ctx: Ctx, row: ApprovalRow): void {
  const requester = loadPrincipal(ctx.db, row.requested_by, null);
  const outcome = requester
    ? dispatch(kernel, row.procedure, JSON.parse(row.payload_json), { principal: requester, meta: { approvalId: row.id } })
    : { ok: false as const, error: { code: 'FORBIDDEN' as const, message: 'The requester is no longer active' } };
  if (!outcome.ok) {
    sqlRun(ctx.db, `UPDATE approval_requests SET status = 'failed', execution_error = ?, version = version + 1 WHERE id = ?`, outcome.error.message, row.id);
    ctx.audit({ entity: 'approval', entityId: row.id, action: 'execution failed', after: { status: 'failed', error: outcome.error } });
  }
}

export function registerApprovals(registry: Registry, kernel: () => Kernel): void {
  registry
    .add(K.approvalsList, (ctx, input) => {
      const me = ctx.user();
      const rows = sqlAll<ApprovalRow>(
        ctx.db,
        `${SELECT} WHERE (? IS NULL OR a.status = ?) AND (? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?)
         ORDER BY a.requested_at DESC LIMIT 500`,
        input.status ?? null,
        input.status ?? null,
        input.entity ?? null,
        input.entity ?? null,
        input.entityId ?? null,
        input.entityId ?? null,
      );
      const inBox = (row: ApprovalRow) =>
        input.box === 'waiting' ? canDecide(row, me) : input.box === 'mine' ? row.requested_by === me.userId : maySee(row, me);
      return rows.filter(inBox).map((r) => toApproval(r, me));
    })
    .add(K.approvalsGet, (ctx, input) => {
      const row = load(ctx, input.id);
      if (!maySee(row, ctx.user())) throw new AppError('FORBIDDEN', 'You may not see this approval request');
      return toApproval(row, ctx.user());
    })
    .add(K.approvalsDecide, (ctx, input) => {
      const me = ctx.user();
      const row = load(ctx, input.id);
      if (row.version !== input.version) throw conflict('This request changed meanwhile; reload it');
      if (row.status !== 'pending') throw ruleViolation('approval.notPending', `This request is already ${row.status}`);
      if (row.requested_by === me.userId) throw new AppError('FORBIDDEN', 'You cannot approve or reject your own request');
      if (!me.permissions.has(`${row.function_key}:approve`)) {
        throw new AppError('FORBIDDEN', `Deciding needs approve rights in ${row.function_key}`, { permission: `${row.function_key}:approve` });
      }
      const status = input.decision === 'approve' ? 'approved' : 'rejected';
      sqlRun(
        ctx.db,
        `UPDATE approval_requests SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, version = version + 1 WHERE id = ?`,
        status,
        me.userId,
        ctx.nowIso,
        input.reason,
        row.id,
      );
      ctx.audit({ entity: 'approval', entityId: row.id, action: status, before: { status: 'pending' }, after: { status }, reason: input.reason });
      if (status === 'approved') execute(kernel(), ctx, load(ctx, row.id));
      return toApproval(load(ctx, row.id), me);
    })
    .add(K.approvalsCancel, (ctx, input) => {
      const me = ctx.user();
      const row = load(ctx, input.id);
      if (row.requested_by !== me.userId) throw new AppError('FORBIDDEN', 'Only the requester can withdraw a request');
      if (row.version !== input.version) throw conflict('This request changed meanwhile; reload it');
      if (row.status !== 'pending') throw ruleViolation('approval.notPending', `This request is already ${row.status}`);
      sqlRun(ctx.db, `UPDATE approval_requests SET status = 'cancelled', version = version + 1 WHERE id = ?`, row.id);
      ctx.audit({ entity: 'approval', entityId: row.id, action: 'withdrawn', before: { status: 'pending' }, after: { status: 'cancelled' } });
      return toApproval(load(ctx, row.id), me);
    });
}
