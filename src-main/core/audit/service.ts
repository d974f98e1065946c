import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import * as K from '../../../src-shared/contracts/kernel';
import type { AuditEvent } from '../../../src-shared/rpc';
import { AppError } from '../../../src-shared/errors';
import { sqlAll, sqlGet } from '../db/store';
import type { AuditEventsTable } from '../db/schema';
import type { Registry } from '../rpc/registry';
import { verifyChain } from './journal';

dayjs.extend(utc);
dayjs.extend(timezone);

export function toAuditEvent(row: AuditEventsTable): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    branchId: row.branch_id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    sessionId: row.session_id,
    shiftId: row.shift_id,
    procedure: row.procedure,
    entity: row.entity,
    entityId: row.entity_id,
    action: row.action,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    after: row.after_json === null ? null : (JSON.parse(row.after_json) as unknown),
    reason: row.reason,
    approvalId: row.approval_id,
    hash: row.hash,
  };
}

export function registerAudit(registry: Registry): void {
  registry
    .add(K.auditList, (ctx, input) => {
      // Date filters are the branch's calendar days, turned into UTC bounds once here.
      const tz = ctx.branch.timeZone;
      const fromUtc = input.from ? dayjs.tz(input.from, tz).startOf('day').toISOString() : null;
      const toUtc = input.to ? dayjs.tz(input.to, tz).add(1, 'day').startOf('day').toISOString() : null;
      // Only the filters given become clauses, so SQLite can answer an entity or a user filter from
      // its index instead of reading the whole journal.
      const clauses: string[] = [];
      const args: unknown[] = [];
      const filter = (clause: string, value: unknown) => {
        if (value === undefined || value === null) return;
        clauses.push(clause);
        args.push(value);
      };
      filter('entity = ?', input.entity);
      filter('entity_id = ?', input.entityId);
      filter('actor_id = ?', input.actorId);
      filter('procedure = ?', input.procedure);
      filter('at >= ?', fromUtc);
      filter('at < ?', toUtc);
      const cursor = input.cursor ? Number(input.cursor) : null;
      if (input.cursor && !Number.isSafeInteger(cursor)) {
        throw new AppError('VALIDATION', 'cursor: not a cursor this list gave out', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
      }
      const where = () => clauses.join(' AND ') || '1';
      // The total counts the whole filter; only the page starts at the cursor.
      const total = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n FROM audit_events WHERE ${where()}`, ...args)!.n;
      filter('seq < ?', cursor);
      const rows = sqlAll<AuditEventsTable>(
        ctx.db,
        `SELECT * FROM audit_events WHERE ${where()} ORDER BY seq DESC LIMIT ?`,
        ...args,
        input.limit + 1,
      );
      const pageRows = rows.slice(0, input.limit);
      return {
        rows: pageRows.map(toAuditEvent),
        nextCursor: rows.length > input.limit ? String(pageRows[pageRows.length - 1]!.seq) : null,
        total,
      };
    })
    .add(K.auditTrail, (ctx, input) =>
      sqlAll<AuditEventsTable>(ctx.db, 'SELECT * FROM audit_events WHERE entity = ? AND entity_id = ? ORDER BY seq', input.entity, input.entityId).map(toAuditEvent),
    )
    .add(K.auditVerify, (ctx) => verifyChain(ctx.db));
}
