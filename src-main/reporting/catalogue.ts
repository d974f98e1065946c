import { AppError } from '../../src-shared/errors';
import { FUNCTIONS, type FunctionKey, type Verb } from '../../src-shared/permissions';
import type { KpiInfo, MeasureUnit, ModuleKey, ReportInfo } from '../../src-shared/contracts/reports';
import { PERIOD_GROUP, STANDARD_DIMENSIONS } from '../../src-shared/contracts/reports';
import type { Principal } from '../core/rpc/context';
import {
  isRatio,
  type DimensionDef,
  type FunctionReportingDef,
  type KpiDef,
  type MeasureDef,
  type ReportDef,
  type SumMeasureDef,
} from './definitions';

/**
 * The registered functions' reports, KPIs and exception sources, checked once at start-up: a
 * definition that names a missing measure or reuses a key fails every test at once instead of
 * one screen at run time.
 */
export interface ReportEntry {
  def: ReportDef;
  fn: FunctionReportingDef;
  module: ModuleKey;
  /** Every dimension including the engine's `branch`. */
  dimensions: DimensionDef[];
}

export interface KpiEntry {
  def: KpiDef;
  report: ReportEntry;
  measure: MeasureDef;
}

const DEFAULT_DECIMALS: Record<MeasureUnit, number> = { count: 0, money: 0, units: 3, hours: 2, percent: 1 };
export const decimalsOf = (m: MeasureDef): number => m.decimals ?? DEFAULT_DECIMALS[m.unit];

const functionInfo = (key: FunctionKey) => FUNCTIONS.find((f) => f.key === key)!;

export const branchDimension = (report: ReportDef): DimensionDef => ({
  key: 'branch',
  label: 'Branch',
  value: report.branch,
  // Names come from the branch table after grouping (see branchNames), not from a join per row.
  display: report.branch,
});

export class ReportingCatalogue {
  readonly functions: readonly FunctionReportingDef[];
  private readonly reports = new Map<string, ReportEntry>();
  private readonly kpis = new Map<string, KpiEntry>();

  constructor(functions: readonly FunctionReportingDef[]) {
    this.functions = functions;
    const seen = new Set<string>();
    for (const fn of functions) {
      const info = FUNCTIONS.find((f) => f.key === fn.functionKey);
      if (!info || info.module === 'kernel') throw new Error(`Reporting: ${fn.functionKey} is not a business function`);
      if (seen.has(fn.functionKey)) throw new Error(`Reporting: ${fn.functionKey} registered twice`);
      seen.add(fn.functionKey);
      for (const report of fn.reports) this.addReport(fn, report, info.module as ModuleKey);
      for (const kpi of fn.kpis) this.addKpi(fn, kpi);
      const kinds = new Set<string>();
      for (const source of fn.exceptions) {
        if (kinds.has(source.kind)) throw new Error(`Reporting: ${fn.functionKey} has two exception sources of kind ${source.kind}`);
        kinds.add(source.kind);
      }
    }
  }

  private addReport(fn: FunctionReportingDef, def: ReportDef, module: ModuleKey): void {
    const where = `Report ${def.key}`;
    if (!def.key.startsWith(`${fn.functionKey}.`) || def.key.split('.').length !== 3) throw new Error(`${where}: key must be ${fn.functionKey}.<name>`);
    if (this.reports.has(def.key)) throw new Error(`${where} registered twice`);
    const dimKeys = new Set<string>();
    for (const d of def.dimensions) {
      if (d.key === PERIOD_GROUP || d.key === 'branch') throw new Error(`${where}: dimension key ${d.key} is the engine's`);
      if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(d.key) || dimKeys.has(d.key)) throw new Error(`${where}: bad or repeated dimension ${d.key}`);
      dimKeys.add(d.key);
    }
    const aliases = new Set<string>();
    for (const j of def.joins ?? []) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(j.alias) || aliases.has(j.alias)) throw new Error(`${where}: bad or repeated join alias ${j.alias}`);
      aliases.add(j.alias);
    }
    const measures = new Map(def.measures.map((m) => [m.key, m]));
    if (measures.size !== def.measures.length) throw new Error(`${where}: repeated measure key`);
    for (const m of def.measures) {
      if (!isRatio(m)) continue;
      for (const part of [m.ratio.numerator, m.ratio.denominator]) {
        const partDef = measures.get(part);
        if (!partDef || isRatio(partDef)) throw new Error(`${where}: ratio ${m.key} needs sum measure ${part}`);
      }
    }
    if (!measures.has(def.defaultMeasure)) throw new Error(`${where}: default measure ${def.defaultMeasure} is not one of its measures`);
    this.reports.set(def.key, { def, fn, module, dimensions: [branchDimension(def), ...def.dimensions] });
  }

  private addKpi(fn: FunctionReportingDef, def: KpiDef): void {
    if (!def.key.startsWith(`${fn.functionKey}.`) || def.key.split('.').length !== 3) throw new Error(`KPI ${def.key}: key must be ${fn.functionKey}.<name>`);
    if (this.kpis.has(def.key)) throw new Error(`KPI ${def.key} registered twice`);
    const report = this.reports.get(def.report);
    if (!report || report.fn !== fn) throw new Error(`KPI ${def.key}: report ${def.report} is not one of ${fn.functionKey}'s`);
    const measure = report.def.measures.find((m) => m.key === def.measure);
    if (!measure) throw new Error(`KPI ${def.key}: report ${def.report} has no measure ${def.measure}`);
    this.kpis.set(def.key, { def, report, measure });
  }

  report(key: string): ReportEntry {
    const entry = this.reports.get(key);
    if (!entry) throw new AppError('NOT_FOUND', `There is no report ${key}`, { entity: 'report', id: key });
    return entry;
  }

  kpi(key: string): KpiEntry {
    const entry = this.kpis.get(key);
    if (!entry) throw new AppError('NOT_FOUND', `There is no KPI ${key}`, { entity: 'kpi', id: key });
    return entry;
  }

  allReports(): ReportEntry[] {
    return [...this.reports.values()];
  }

  allKpis(): KpiEntry[] {
    return [...this.kpis.values()];
  }

  functionOf(key: string): FunctionReportingDef | undefined {
    return this.functions.find((f) => f.functionKey === key);
  }

  moduleFunctions(module: ModuleKey): FunctionReportingDef[] {
    return this.functions.filter((f) => functionInfo(f.functionKey).module === module);
  }
}

export const can = (principal: Principal, fn: string, verb: Verb): boolean => principal.permissions.has(`${fn}:${verb}`);

/** The cell of the report's own function, checked inside procedures that serve every function. */
export function requirePermission(principal: Principal, fn: string, verb: Verb): void {
  if (!can(principal, fn, verb)) {
    throw new AppError('FORBIDDEN', `Your role (${principal.roleKey}) may not ${verb} in ${fn}`, { permission: `${fn}:${verb}` });
  }
}

export function dimensionOf(entry: ReportEntry, key: string): DimensionDef {
  const dim = entry.dimensions.find((d) => d.key === key);
  if (!dim) {
    throw new AppError('VALIDATION', `${entry.def.label} has no drilldown “${key}”`, {
      issues: [{ path: 'groupBy', message: `Choose one of: ${[PERIOD_GROUP, ...entry.dimensions.map((d) => d.key)].join(', ')}` }],
    });
  }
  return dim;
}

/** The sum measures a set of measures needs (ratios need their parts). */
export function sumMeasuresFor(report: ReportDef, measures: readonly MeasureDef[]): SumMeasureDef[] {
  const keys = new Set<string>();
  for (const m of measures) {
    if (isRatio(m)) {
      keys.add(m.ratio.numerator);
      keys.add(m.ratio.denominator);
    } else keys.add(m.key);
  }
  return report.measures.filter((m): m is SumMeasureDef => !isRatio(m) && keys.has(m.key));
}

export function reportInfo(entry: ReportEntry, principal: Principal): ReportInfo {
  const { def, fn, module } = entry;
  return {
    key: def.key,
    functionKey: fn.functionKey,
    functionLabel: functionInfo(fn.functionKey).label,
    module,
    label: def.label,
    description: def.description,
    timeLabel: def.time.label,
    recordLabel: def.recordLabel,
    dimensions: entry.dimensions.map((d) => ({ key: d.key, label: d.label, standard: (STANDARD_DIMENSIONS as readonly string[]).includes(d.key) })),
    measures: def.measures.map((m) => ({
      key: m.key,
      label: m.label,
      unit: m.unit,
      kind: isRatio(m) ? ('ratio' as const) : ('sum' as const),
      decimals: decimalsOf(m),
      description: m.description ?? null,
    })),
    defaultMeasure: def.defaultMeasure,
    canExport: can(principal, fn.functionKey, 'export'),
  };
}

export function kpiInfo(entry: KpiEntry, principal: Principal): KpiInfo {
  const { def, report, measure } = entry;
  return {
    key: def.key,
    label: def.label,
    description: def.description,
    functionKey: report.fn.functionKey,
    module: report.module,
    unit: measure.unit,
    decimals: decimalsOf(measure),
    reportKey: report.def.key,
    measure: measure.key,
    goodDirection: def.goodDirection,
    canSetTarget: can(principal, report.fn.functionKey, 'approve'),
  };
}

