/**
 * Exception concentration: counts on a grid (function × weekday, weekday × hour, branch ×
 * category). The database counts; this turns its sparse answer into a full grid with zeros where
 * nothing happened, and the row and column totals the table view prints.
 */
export interface HeatmapCount {
  x: string;
  y: string;
  count: number;
}

export interface HeatmapGrid {
  xKeys: string[];
  yKeys: string[];
  /** One cell per (x, y), row by row (y outer, x inner). */
  cells: HeatmapCount[];
  rowTotals: Record<string, number>;
  columnTotals: Record<string, number>;
  total: number;
  max: number;
}

/**
 * `xKeys` / `yKeys` fix the axes and their order (weekdays, hours); an axis left out is made of
 * the keys that occur, sorted. Counts outside fixed axes are refused: they would vanish silently.
 */
export function heatmapGrid(counts: readonly HeatmapCount[], axes: { xKeys?: readonly string[]; yKeys?: readonly string[] } = {}): HeatmapGrid {
  const xKeys = axes.xKeys ? [...axes.xKeys] : [...new Set(counts.map((c) => c.x))].sort();
  const yKeys = axes.yKeys ? [...axes.yKeys] : [...new Set(counts.map((c) => c.y))].sort();
  const xs = new Set(xKeys);
  const ys = new Set(yKeys);
  const byCell = new Map<string, number>();
  for (const c of counts) {
    if (!xs.has(c.x) || !ys.has(c.y)) throw new RangeError(`Heatmap count outside the axes: ${c.x} × ${c.y}`);
    const key = `${c.y}\u0000${c.x}`;
    byCell.set(key, (byCell.get(key) ?? 0) + c.count);
  }
  const cells: HeatmapCount[] = [];
  const rowTotals: Record<string, number> = {};
  const columnTotals: Record<string, number> = Object.fromEntries(xKeys.map((x) => [x, 0]));
  let total = 0;
  let max = 0;
  for (const y of yKeys) {
    rowTotals[y] = 0;
    for (const x of xKeys) {
      const count = byCell.get(`${y}\u0000${x}`) ?? 0;
      cells.push({ x, y, count });
      rowTotals[y] += count;
      columnTotals[x]! += count;
      total += count;
      max = Math.max(max, count);
    }
  }
  return { xKeys, yKeys, cells, rowTotals, columnTotals, total, max };
}

/** Weekday keys in the branch's week order: `weekStart` 1 = Monday first, 0 = Sunday first. */
export function weekdayKeys(weekStart: number): string[] {
  return Array.from({ length: 7 }, (_, i) => String((weekStart + i) % 7));
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export const HOUR_KEYS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
