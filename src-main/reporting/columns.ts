/**
 * A column of an exported table, shared by the Excel and CSV writers so a report declares its
 * columns once. `kind` picks the cell type and number format.
 */
export type ColumnKind = 'text' | 'integer' | 'decimal' | 'date' | 'datetime';

export type CellValue = string | number | null | undefined;

export interface Column<Row> {
  header: string;
  /** Dates as 'YYYY-MM-DD', date-times as ISO instants; numbers as numbers. */
  value: (row: Row) => CellValue;
  kind?: ColumnKind;
  /** Width in characters (Excel only). */
  width?: number;
}

export const NUMBER_FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  integer: '#,##0',
  decimal: '#,##0.000',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};
