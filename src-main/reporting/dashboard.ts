import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { FUNCTIONS } from '../../src-shared/permissions';
import type { Alert, Dashboard, KpiCard, QueueItem, Severity, TimelineEvent } from '../../src-shared/contracts/dashboard';
import type { ModuleKey, ReportPeriod } from '../../src-shared/contracts/reports';
import { SYNC_EXCEPTION_KINDS, type SyncExceptionKind } from '../../src-shared/contracts/sync';
import { AppError } from '../../src-shared/errors';
import { sqlAll } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import type { Registry } from '../core/rpc/registry';
import { variance, varianceTone } from '../analytics';
import { bucketOfDate, instantRange, localDateOf } from './periods';
import { can, decimalsOf, type KpiEntry, type ReportingCatalogue } from './catalogue';
import { dailySeries, valueOver } from './engine';
import type { ExceptionSourceDef, FunctionReportingDef } from './definitions';
import { targetLookup } from './targets';

dayjs.extend(utc);

const DATE = 'YYYY-MM-DD';
const shift = (date: string, days: number) => dayjs.utc(date).add(days, 'day').format(DATE);
const daysBetween = (from: string, to: string) => dayjs.utc(to).diff(dayjs.utc(from), 'day');
const SPARK_DAYS = 14;

/**
 * The period so far and the same stretch of the period before: on 15 March a monthly dashboard
 * compares 1–15 March with 1–15 February (clipped to February's end), not with all of February.
 */
export function comparisonRanges(asOf: string, period: ReportPeriod, weekStart: number) {
  const current = { from: bucketOfDate(asOf, period, weekStart).start, to: asOf };
  const before = bucketOfDate(shift(current.from, -1), period, weekStart);
  const elapsed = daysBetween(current.from, asOf);
  const previousTo = shift(before.start, elapsed);
  return { current, previous: { from: before.start, to: previousTo > before.end ? before.end : previousTo } };
}

const ageHours = (since: string, now: Date) => Math.max(0, Math.round(((now.getTime() - Date.parse(since)) / 3_600_000) * 10) / 10);

function escalate(source: ExceptionSourceDef, since: string | null, now: Date): Severity {
  if (since && source.criticalAfterHours !== undefined && ageHours(since, now) >= source.criticalAfterHours) return 'critical';
  return source.severity;
}

function kpiCards(ctx: Ctx, kpis: KpiEntry[], asOf: string, period: ReportPeriod): KpiCard[] {
  const { current, previous } = comparisonRanges(asOf, period, ctx.branch.weekStart);
  const sparkFrom = shift(asOf, -(SPARK_DAYS - 1));
  const from = [previous.from, sparkFrom].sort()[0]!;
  const index = (date: string) => daysBetween(from, date);
  // One aggregate per report serves all its KPIs.
  const byReport = new Map<string, KpiEntry[]>();
  for (const k of kpis) byReport.set(k.report.def.key, [...(byReport.get(k.report.def.key) ?? []), k]);
  const cards = new Map<string, KpiCard>();
  for (const group of byReport.values()) {
    const report = group[0]!.report;
    const series = dailySeries(ctx.db, ctx.branch, report, group.map((k) => k.measure), { from, to: asOf, filters: {} });
    for (const kpi of group) {
      const value = valueOver(series, kpi.measure, index(current.from), index(asOf));
      const before = valueOver(series, kpi.measure, index(previous.from), index(previous.to));
      const change = value !== null && before !== null ? variance(value, before) : null;
      const target = targetLookup(ctx.db, kpi.def.key, period).forPeriod(current.from);
      cards.set(kpi.def.key, {
        key: kpi.def.key,
        label: kpi.def.label,
        description: kpi.def.description,
        functionKey: report.fn.functionKey,
        unit: kpi.measure.unit,
        decimals: decimalsOf(kpi.measure),
        goodDirection: kpi.def.goodDirection,
        value,
        previous: before,
        change,
        tone: varianceTone(change, kpi.def.goodDirection),
        target,
        targetPercent: target && value !== null ? Math.round((value / target) * 1000) / 10 : null,
        spark: Array.from({ length: SPARK_DAYS }, (_, i) => {
          const date = shift(sparkFrom, i);
          return { date, value: valueOver(series, kpi.measure, index(date), index(date)) };
        }),
        reportKey: report.def.key,
        measure: kpi.measure.key,
      });
    }
  }
  // Cards in the order functions declared them.
  return kpis.map((k) => cards.get(k.def.key)!);
}

interface ApprovalRow {
  id: string;
  function_key: string;
  summary: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
}

const QUEUE_LIMIT = 10;

function pendingApprovals(ctx: Ctx, module: ModuleKey): ApprovalRow[] {
  return sqlAll<ApprovalRow>(
    ctx.db,
    `SELECT a.id, a.function_key, a.summary, a.requested_by, u.display_name AS requested_by_name, a.requested_at
     FROM approval_requests a JOIN users u ON u.id = a.requested_by
     WHERE a.status = 'pending' AND a.function_key >= ? AND a.function_key < ?
     ORDER BY a.requested_at LIMIT 500`,
    `${module}.`,
    `${module}/`,
  );
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The review queue's order: critical first, then oldest. Oldest alone filled the list with one
 * source's month-old warnings and left missed visits and breached deadlines off it.
 */
export const urgentFirst = (a: Pick<QueueItem, 'severity' | 'since'>, b: Pick<QueueItem, 'severity' | 'since'>): number =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.since.localeCompare(b.since);

/** After a day an unresolved sync problem is critical: the branch's records are not reaching HQ. */
const SYNC_CRITICAL_AFTER_HOURS = 24;

/**
 * Sync exceptions (events HQ refused, uploads that keep failing) hold back every module's records,
 * so both dashboards show them to whoever may look after sync. They are the kernel's, not a
 * function's, so they are read here rather than registered as a function's exception source.
 */
function syncAlert(ctx: Ctx): { alert: Alert; items: QueueItem[] } | null {
  if (!can(ctx.user(), 'sync', 'view')) return null;
  const head = sqlAll<{ total: number; oldest: string | null }>(
    ctx.db,
    `SELECT count(*) AS total, min(first_seen_at) AS oldest FROM sync_exceptions WHERE status = 'open'`,
  )[0]!;
  const severityOf = (since: string | null): Severity =>
    head.total === 0 ? 'info' : since && ageHours(since, ctx.now) >= SYNC_CRITICAL_AFTER_HOURS ? 'critical' : 'warning';
  const rows = sqlAll<{ id: string; kind: string; message: string; first_seen_at: string; occurrences: number }>(
    ctx.db,
    `SELECT id, kind, message, first_seen_at, occurrences FROM sync_exceptions WHERE status = 'open' ORDER BY first_seen_at, id LIMIT ?`,
    QUEUE_LIMIT,
  );
  return {
    alert: {
      functionKey: 'sync',
      kind: 'sync',
      label: 'Sync exceptions',
      severity: severityOf(head.oldest),
      count: head.total,
      oldestAt: head.oldest,
      ageHours: head.oldest ? ageHours(head.oldest, ctx.now) : null,
      link: '/admin/sync',
    },
    items: rows.map((r) => ({
      kind: 'exception' as const,
      functionKey: 'sync',
      id: r.id,
      title: SYNC_EXCEPTION_KINDS[r.kind as SyncExceptionKind] ?? r.kind,
      detail: r.occurrences > 1 ? `${r.message} (seen ${r.occurrences} times)` : r.message,
      since: r.first_seen_at,
      ageHours: ageHours(r.first_seen_at, ctx.now),
      severity: severityOf(r.first_seen_at),
      link: '/admin/sync',
      actionLabel: 'Review',
    })),
  };
}

export function buildDashboard(ctx: Ctx, catalogue: ReportingCatalogue, module: ModuleKey, input: { period: ReportPeriod; asOf?: string }): Dashboard {
  const me = ctx.user();
  const asOf = input.asOf ?? localDateOf(ctx.now, ctx.branch.timeZone);
  const visible = (fn: string) => can(me, fn, 'view');
  const fns = catalogue.moduleFunctions(module).filter((f) => visible(f.functionKey));
  const kpis = catalogue.allKpis().filter((k) => k.report.module === module && visible(k.report.fn.functionKey));
  const { current, previous } = comparisonRanges(asOf, input.period, ctx.branch.weekStart);

  const approvals = pendingApprovals(ctx, module);
  const mayDecide = approvals.filter((a) => a.requested_by !== me.userId && can(me, a.function_key, 'approve'));
  const waitingForMe: QueueItem[] = mayDecide
    .slice(0, QUEUE_LIMIT)
    .map((a) => ({
      kind: 'approval',
      functionKey: a.function_key,
      id: a.id,
      title: a.summary,
      detail: `Requested by ${a.requested_by_name}`,
      since: a.requested_at,
      ageHours: ageHours(a.requested_at, ctx.now),
      severity: ageHours(a.requested_at, ctx.now) >= 24 ? 'critical' : 'warning',
      link: `/approvals?box=waiting&id=${encodeURIComponent(a.id)}`,
      actionLabel: 'Decide',
    }));

  const alerts: Alert[] = [];
  const exceptions: QueueItem[] = [];
  let exceptionsOpen = 0;
  const clock = { now: ctx.now, nowIso: ctx.nowIso, today: localDateOf(ctx.now, ctx.branch.timeZone), timeZone: ctx.branch.timeZone };
  for (const fn of fns) {
    for (const source of fn.exceptions) {
      const open = source.open(ctx.db, QUEUE_LIMIT, clock);
      exceptionsOpen += open.total;
      alerts.push({
        functionKey: fn.functionKey,
        kind: source.kind,
        label: source.label,
        severity: open.total === 0 ? 'info' : escalate(source, open.oldestAt, ctx.now),
        count: open.total,
        oldestAt: open.oldestAt,
        ageHours: open.oldestAt ? ageHours(open.oldestAt, ctx.now) : null,
        link: source.link,
      });
      for (const item of open.items) {
        exceptions.push({
          kind: 'exception',
          functionKey: fn.functionKey,
          id: item.id,
          title: item.title,
          detail: item.detail ?? null,
          since: item.since,
          ageHours: ageHours(item.since, ctx.now),
          severity: escalate(source, item.since, ctx.now),
          link: item.link,
          actionLabel: 'Review',
        });
      }
    }
  }
  const sync = syncAlert(ctx);
  if (sync) {
    alerts.push(sync.alert);
    exceptions.push(...sync.items);
    exceptionsOpen += sync.alert.count;
  }
  alerts.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count);
  exceptions.sort(urgentFirst);

  const workflows: QueueItem[] = approvals
    .filter((a) => a.requested_by === me.userId)
    .map((a) => ({
      kind: 'workflow' as const,
      functionKey: a.function_key,
      id: a.id,
      title: a.summary,
      detail: 'Waiting for a second person to approve',
      since: a.requested_at,
      ageHours: ageHours(a.requested_at, ctx.now),
      severity: 'info' as const,
      link: `/approvals?box=mine&id=${encodeURIComponent(a.id)}`,
      actionLabel: 'Follow up',
    }));
  for (const fn of fns) {
    for (const item of fn.inProgress?.(ctx.db, { userId: me.userId, today: asOf, timeZone: ctx.branch.timeZone, nowIso: ctx.nowIso }) ?? []) {
      workflows.push({
        kind: 'workflow',
        functionKey: fn.functionKey,
        id: item.id,
        title: item.title,
        detail: item.detail ?? null,
        since: item.since,
        ageHours: ageHours(item.since, ctx.now),
        severity: 'info',
        link: item.link,
        actionLabel: item.actionLabel ?? 'Continue',
      });
    }
  }

  return {
    module,
    asOf,
    period: input.period,
    range: current,
    previousRange: previous,
    kpis: kpiCards(ctx, kpis, asOf, input.period),
    queue: {
      approvals: waitingForMe,
      exceptions: exceptions.slice(0, QUEUE_LIMIT),
      workflows: workflows.slice(0, QUEUE_LIMIT),
      totals: { approvals: mayDecide.length, exceptions: exceptionsOpen, workflows: workflows.length },
    },
    alerts,
    functions: FUNCTIONS.filter((f) => f.module === module && visible(f.key)).map((f) => ({ key: f.key, label: f.label })),
  };
}

/* ---------------- timeline ---------------- */

/** Which function each write procedure belongs to, from the contracts' permission cells. */
export function mutationFunctions(registry: Registry): Map<string, string> {
  const map = new Map<string, string>();
  for (const { contract } of registry.all()) {
    if (contract.kind === 'mutation' && contract.access.kind === 'permission') map.set(contract.name, contract.access.fn);
  }
  return map;
}

interface TimelineInput {
  functionKey?: string;
  actorId?: string;
  entity?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export function timeline(
  ctx: Ctx,
  catalogue: ReportingCatalogue,
  procedures: Map<string, string>,
  module: ModuleKey,
  input: TimelineInput,
): { rows: TimelineEvent[]; nextCursor: string | null } {
  const me = ctx.user();
  const labels = new Map<string, string>(FUNCTIONS.map((f) => [f.key, f.label]));
  const inModule = (fn: string) => FUNCTIONS.some((f) => f.key === fn && f.module === module);
  if (input.functionKey && !inModule(input.functionKey)) {
    throw new AppError('VALIDATION', `functionKey: ${input.functionKey} is not a function of this module`, {
      issues: [{ path: 'functionKey', message: 'Not a function of this module' }],
    });
  }
  const names = [...procedures]
    .filter(([, fn]) => inModule(fn) && can(me, fn, 'view') && (!input.functionKey || fn === input.functionKey))
    .map(([name]) => name);
  if (names.length === 0) return { rows: [], nextCursor: null };
  const cursor = input.cursor === undefined ? null : Number(input.cursor);
  if (cursor !== null && !Number.isSafeInteger(cursor)) {
    throw new AppError('VALIDATION', 'cursor: not a cursor this list gave out', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
  }
  const range = input.from || input.to ? instantRange(input.from ?? '0001-01-01', input.to ?? '9999-12-30', ctx.branch.timeZone) : null;
  const clauses = [`procedure IN (${names.map(() => '?').join(', ')})`];
  const params: unknown[] = [...names];
  const where = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if (input.actorId) where('actor_id = ?', input.actorId);
  if (input.entity) where('entity = ?', input.entity);
  if (range && input.from) where('at >= ?', range.fromInstant);
  if (range && input.to) where('at < ?', range.toInstant);
  if (cursor !== null) where('seq < ?', cursor);
  const rows = sqlAll<{
    seq: number;
    at: string;
    actor_id: string | null;
    actor_name: string | null;
    procedure: string;
    entity: string;
    entity_id: string;
    action: string;
    reason: string | null;
    approval_id: string | null;
  }>(
    ctx.db,
    `SELECT seq, at, actor_id, actor_name, procedure, entity, entity_id, action, reason, approval_id FROM audit_events
     WHERE ${clauses.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
    ...params,
    input.limit + 1,
  );
  const page = rows.slice(0, input.limit);
  const linkOf = (fn: FunctionReportingDef | undefined, entity: string, id: string) => fn?.entityLinks?.[entity]?.(id) ?? null;
  return {
    rows: page.map((r) => {
      const fn = procedures.get(r.procedure)!;
      return {
        seq: r.seq,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        functionKey: fn,
        functionLabel: labels.get(fn) ?? fn,
        procedure: r.procedure,
        entity: r.entity,
        entityId: r.entity_id,
        action: r.action,
        reason: r.reason,
        approvalId: r.approval_id,
        link: linkOf(catalogue.functionOf(fn), r.entity, r.entity_id),
      };
    }),
    nextCursor: rows.length > input.limit ? String(page.at(-1)!.seq) : null,
  };
}
